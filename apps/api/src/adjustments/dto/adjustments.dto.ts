import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsString, MaxLength } from 'class-validator';
import { ADJUSTMENT_KINDS, REVIEW_TRIGGER_KINDS, type AdjustmentKind, type ManagedBy, type ReviewTriggerKind } from '@cadre-ledger/domain';
import { ManagedByField, MeasureTakenByField } from '../../cadres/dto/cadres.dto';
import { Nested } from '../../common/nested';
import { Absent, EffectiveAt, Identifier, Text, WriteDto } from '../../common/validation';
import { PositionDto } from '../../cadres/dto/position.dto';

/** 能下 */
export class AdjustmentDto extends WriteDto {
  @ApiProperty({ enum: [...ADJUSTMENT_KINDS], description: 'transfer-out 调离岗位, non-leadership 改任非领导职务, removal 免职, demotion 降职' })
  @IsIn([...ADJUSTMENT_KINDS])
  kind!: AdjustmentKind;

  @ApiPropertyOptional({ type: PositionDto, description: 'The post after the adjustment (none after a removal)' })
  @Absent()
  @Nested(PositionDto, false)
  newPosition?: PositionDto;

  @ApiPropertyOptional({ enum: [...REVIEW_TRIGGER_KINDS], description: 'The review trigger that prompted it' })
  @Absent()
  @IsIn([...REVIEW_TRIGGER_KINDS])
  trigger?: ReviewTriggerKind;

  @ManagedByField()
  managedBy?: ManagedBy;

  @MeasureTakenByField()
  measureTakenBy?: ManagedBy;

  @EffectiveAt()
  effectiveAt!: string;
}

/** 报告: the initial adjustment the report proposes. */
export class AdjustmentReportDto {
  @ApiProperty({ enum: [...ADJUSTMENT_KINDS] })
  @IsIn([...ADJUSTMENT_KINDS])
  proposedKind!: AdjustmentKind;
}

/** 第十五条(一) 报告. */
export class ReportAdjustmentDto extends WriteDto {
  @Identifier('Case id of the adjustment case', 'nsx-2023-4')
  caseId!: string;

  @ApiProperty({ type: [String], description: 'ruleIds of the review triggers standing on effectiveAt that the case answers', example: ['CN-SN/NSX-12-1'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  triggers!: string[];

  @ApiProperty({ type: AdjustmentReportDto })
  @Nested(AdjustmentReportDto, true)
  report!: AdjustmentReportDto;

  @EffectiveAt()
  effectiveAt!: string;
}

/** 第十五条(二) 审核. */
export class AdjustmentReviewDto extends WriteDto {
  @ApiProperty({ description: 'Was the cadre\'s own account heard (听取干部本人说明)? An approval needs true.' })
  @IsBoolean()
  cadreStatementHeard!: boolean;

  @Text(2000, { description: 'What the review found', example: '经核实,情况属实' })
  summary!: string;

  @EffectiveAt()
  effectiveAt!: string;
}

/** 第十五条(三) 报批. */
export class AdjustmentApprovalDto extends WriteDto {
  @ApiProperty({ description: 'false closes the case: recorded, not adjusted' })
  @IsBoolean()
  approved!: boolean;

  @ApiPropertyOptional({ enum: [...ADJUSTMENT_KINDS], description: 'The kind approved (default: the proposed one); with approved: true only' })
  @Absent()
  @IsIn([...ADJUSTMENT_KINDS])
  kind?: AdjustmentKind;

  @EffectiveAt()
  effectiveAt!: string;
}

/** 第十五条(五) 谈话. */
export class AdjustmentTalkDto extends WriteDto {
  @EffectiveAt()
  effectiveAt!: string;
}
