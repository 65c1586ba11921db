import type { MitigatedTo } from '@cadre-ledger/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsString, MaxLength, ValidateIf } from 'class-validator';
import { ADJUSTMENT_KINDS, CLEARANCE_FINDINGS, FILING_BODIES, PROBATION_MONTHS, SANCTION_SYSTEMS, TOLERANCE_INITIATORS, TOLERANCE_OUTCOMES } from '@cadre-ledger/domain';
import type { AdjustmentKind, ClearanceFinding, FilingBody, SanctionKind, ToleranceInitiator, ToleranceOutcome } from '@cadre-ledger/domain';
import { Nested } from '../../common/nested';
import { Absent, EffectiveAt, Identifier, Text, WriteDto, composed } from '../../common/validation';
import { SANCTION_KIND_VALUES } from '../../accountability/dto/accountability.dto';

/** eventIds of the same cadre's stream. */
function EventIds(description: string): PropertyDecorator {
  return composed(
    ApiProperty({ type: [String], description, minItems: 1, maxItems: 100 }),
    IsArray(),
    ArrayNotEmpty(),
    ArrayMaxSize(100),
    IsString({ each: true }),
    MaxLength(64, { each: true }),
  );
}

export class RequestToleranceDto extends WriteDto {
  @Identifier('Case id of the tolerance case', 'rc-2021-3')
  caseId!: string;

  @Text(64, { description: 'A situation code of the cadre\'s rule set (RULEBOOK.md), e.g. SN-3', example: 'SN-3' })
  situation!: string;

  @EventIds('eventIds of the sanctions, cautions, talks or adjustments the case is about')
  covers!: string[];

  @ApiProperty({ enum: [...TOLERANCE_INITIATORS] })
  @IsIn([...TOLERANCE_INITIATORS])
  initiatedBy!: ToleranceInitiator;

  @EffectiveAt()
  effectiveAt!: string;
}

/** 调查核实: the exclusions of 三个区分开来. */
export class ToleranceFindingsDto extends WriteDto {
  @ApiProperty({ description: '谋取私利' })
  @IsBoolean()
  personalGain!: boolean;

  @ApiProperty({ description: '明知故犯' })
  @IsBoolean()
  knowingViolation!: boolean;

  @ApiProperty({ description: '上级明令禁止后我行我素' })
  @IsBoolean()
  expresslyProhibited!: boolean;

  @Text(2000)
  summary!: string;

  @EffectiveAt()
  effectiveAt!: string;
}

const MITIGATION_SYSTEMS = [...SANCTION_SYSTEMS, 'organizational', 'caution'] as const;
const MITIGATION_KINDS = [...new Set([...SANCTION_KIND_VALUES, ...ADJUSTMENT_KINDS])];

/**
 * A lighter sanction of the same system, a lighter organizational measure (an adjustment kind), or
 * a caution (API.md, "Mitigation is lighter"). The decider checks the kind against the system and
 * that it lies below every covered fact.
 */
export class MitigatedToDto {
  @ApiProperty({ enum: [...MITIGATION_SYSTEMS], description: 'party, administrative (a sanction), organizational (an adjustment kind) or caution' })
  @IsIn([...MITIGATION_SYSTEMS])
  system!: (typeof MITIGATION_SYSTEMS)[number];

  @ApiPropertyOptional({ enum: MITIGATION_KINDS, description: 'The sanction or adjustment kind; none for a caution' })
  @ValidateIf((o: MitigatedToDto) => o.system !== 'caution' || o.kind !== undefined)
  @IsIn(MITIGATION_KINDS)
  kind?: SanctionKind | AdjustmentKind;

  @ApiPropertyOptional({ enum: [...PROBATION_MONTHS], description: 'With kind probation only' })
  @Absent()
  @IsIn([...PROBATION_MONTHS])
  probationMonths?: number;
}

export class ToleranceDecisionDto extends WriteDto {
  @ApiProperty({ enum: [...TOLERANCE_OUTCOMES], description: 'exempted 免责, mitigated 减责, rejected 不予容错' })
  @IsIn([...TOLERANCE_OUTCOMES])
  outcome!: ToleranceOutcome;

  @ApiPropertyOptional({ type: MitigatedToDto, description: 'Required with outcome mitigated, refused otherwise' })
  @Absent()
  @Nested(MitigatedToDto, false)
  mitigatedTo?: MitigatedTo; // validated as MitigatedToDto; the decider checks kind against system and lightness

  @Text(2000)
  reason!: string;

  @EffectiveAt()
  effectiveAt!: string;
}

/** 结果反馈 */
export class ToleranceNotificationDto extends WriteDto {
  @ApiProperty({ description: 'Whether the outcome was made public' })
  @IsBoolean()
  disclosed!: boolean;

  @EffectiveAt()
  effectiveAt!: string;
}

/** 资料报备 */
export class ToleranceFilingDto extends WriteDto {
  @ApiProperty({ enum: [...FILING_BODIES], isArray: true, minItems: 1 })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(FILING_BODIES.length)
  @IsIn([...FILING_BODIES], { each: true })
  filedWith!: FilingBody[];

  @EffectiveAt()
  effectiveAt!: string;
}

/** 澄清正名 */
export class ClearanceDto extends WriteDto {
  @EventIds('eventIds of the sanctions, cautions, talks, adjustments or investigations cleared')
  covers!: string[];

  @ApiProperty({ enum: [...CLEARANCE_FINDINGS], description: 'unfounded 查无实据, false-accusation 诬告' })
  @IsIn([...CLEARANCE_FINDINGS])
  finding!: ClearanceFinding;

  @EffectiveAt()
  effectiveAt!: string;
}
