import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { ADJUSTMENT_KINDS, REVIEW_TRIGGER_KINDS, type AdjustmentKind, type ManagedBy, type ReviewTriggerKind } from '@cadre-ledger/domain';
import { ManagedByField } from '../../cadres/dto/cadres.dto';
import { Nested } from '../../common/nested';
import { Absent, EffectiveAt, WriteDto } from '../../common/validation';
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

  @EffectiveAt()
  effectiveAt!: string;
}
