import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { ADMINISTRATIVE_SANCTIONS, PARTY_SANCTIONS, PROBATION_MONTHS, SANCTION_SYSTEMS, TALK_HOLDERS, TALK_KINDS, type ManagedBy, type SanctionKind, type SanctionSystem, type TalkHolder, type TalkKind } from '@cadre-ledger/domain';
import { MeasureTakenByField } from '../../cadres/dto/cadres.dto';
import { Absent, EffectiveAt, Identifier, Text, WriteDto } from '../../common/validation';

export const SANCTION_KIND_VALUES = [...new Set<string>([...PARTY_SANCTIONS, ...ADMINISTRATIVE_SANCTIONS])];

/** 诫勉 */
export class CautionDto extends WriteDto {
  @Text(2000)
  reason!: string;

  @EffectiveAt()
  effectiveAt!: string;
}

export class TalkDto extends WriteDto {
  @ApiProperty({ enum: [...TALK_KINDS], description: 'reminder 提醒谈话, admonition 约谈' })
  @IsIn([...TALK_KINDS])
  kind!: TalkKind;

  @Text(2000)
  reason!: string;

  @ApiPropertyOptional({
    enum: [...TALK_HOLDERS],
    description: 'Who held it: organization-department-head 组织部长, discipline-commission 纪委监委, unit-principal 单位主要负责同志, other. 工作落实 三(五) asks for an admonition by the 组织部长.',
  })
  @Absent()
  @IsIn([...TALK_HOLDERS])
  heldBy?: TalkHolder;

  @EffectiveAt()
  effectiveAt!: string;
}

export class SanctionDto extends WriteDto {
  @ApiProperty({ enum: [...SANCTION_SYSTEMS], description: 'party 党纪, administrative 政务' })
  @IsIn([...SANCTION_SYSTEMS])
  system!: SanctionSystem;

  @ApiProperty({
    enum: SANCTION_KIND_VALUES,
    description: `party: ${PARTY_SANCTIONS.join(', ')}; administrative: ${ADMINISTRATIVE_SANCTIONS.join(', ')}`,
  })
  @IsIn(SANCTION_KIND_VALUES)
  kind!: SanctionKind;

  @ApiPropertyOptional({ enum: [...PROBATION_MONTHS], description: 'Only for party probation (留党察看)' })
  @Absent()
  @IsIn([...PROBATION_MONTHS])
  probationMonths?: number;

  @MeasureTakenByField()
  measureTakenBy?: ManagedBy;

  @EffectiveAt()
  effectiveAt!: string;
}

/** 立案调查 */
export class OpenInvestigationDto extends WriteDto {
  @Identifier('Case id of the investigation', 'jw-2020-17')
  caseId!: string;

  @EffectiveAt()
  effectiveAt!: string;
}

export class CloseInvestigationDto extends WriteDto {
  @EffectiveAt()
  effectiveAt!: string;
}
