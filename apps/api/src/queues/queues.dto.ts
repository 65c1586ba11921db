import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { ADJUSTMENT_CASE_STEPS, IDENTIFIER_PATTERN, TOLERANCE_STEPS } from '@cadre-ledger/domain';
import { CASE_KINDS, type CaseKind } from '@cadre-ledger/projections';
import { PageQueryDto } from '../common/validation';
import { CitationDto } from '../eligibility/dto/eligibility.dto';

export class CaseListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CASE_KINDS, description: 'tolerance 容错纠错 or adjustment 能下 (第十五条); both when absent' })
  @IsOptional()
  @IsIn([...CASE_KINDS])
  kind?: CaseKind;

  @ApiPropertyOptional({ description: 'The last step taken, after which the case waits: a tolerance step (requested … notified) or an adjustment step (reported … decided)' })
  @IsOptional()
  @IsIn([...new Set([...TOLERANCE_STEPS, ...ADJUSTMENT_CASE_STEPS])])
  step?: string;

  @ApiPropertyOptional({ pattern: IDENTIFIER_PATTERN.source })
  @IsOptional()
  @Matches(IDENTIFIER_PATTERN)
  unitId?: string;
}

export class CaseDto {
  @ApiProperty({ enum: CASE_KINDS }) kind!: CaseKind;
  @ApiProperty() cadreId!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty() unitId!: string;
  @ApiProperty() caseId!: string;
  @ApiProperty({ description: 'The last step taken: the case waits for the next one' }) step!: string;
  @ApiProperty({ format: 'date' }) openedOn!: string;
  @ApiProperty({ format: 'date' }) lastStepOn!: string;
  @ApiProperty({ description: 'Days from the last step to today' }) daysWaiting!: number;
  @ApiPropertyOptional({ description: 'Tolerance: the situation code' }) situation?: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Tolerance: the outcome once decided' }) outcome?: string | null;
  @ApiPropertyOptional({ type: [String], description: 'Adjustment: the review triggers (rule ids) the case answers' }) triggers?: string[];
  @ApiPropertyOptional({ nullable: true, type: Boolean, description: 'Adjustment: the approval once given' }) approved?: boolean | null;
}

export class CasePageDto {
  @ApiProperty({ type: [CaseDto] }) items!: CaseDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class LockListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ pattern: IDENTIFIER_PATTERN.source })
  @IsOptional()
  @Matches(IDENTIFIER_PATTERN)
  unitId?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 3660, description: 'Only locks whose until is at most this many days after today' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3660)
  endingWithin?: number;
}

export class LockItemDto {
  @ApiProperty() cadreId!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty() unitId!: string;
  @ApiProperty() lockId!: string;
  @ApiProperty({ example: 'demotion' }) kind!: string;
  @ApiProperty({ example: 'CN-SN/NSX-16b' }) ruleId!: string;
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date', nullable: true, type: String, description: 'Exclusive; null while open-ended' }) until!: string | null;
  @ApiProperty() sourceEventId!: string;
  @ApiProperty({ type: CitationDto, nullable: true }) citation!: CitationDto | null;
}

export class LockPageDto {
  @ApiProperty({ type: [LockItemDto] }) items!: LockItemDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class TriggerListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ pattern: IDENTIFIER_PATTERN.source })
  @IsOptional()
  @Matches(IDENTIFIER_PATTERN)
  unitId?: string;
}

export class TriggerItemDto {
  @ApiProperty() cadreId!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty() unitId!: string;
  @ApiProperty({ example: 'CN-SN/NSX-6-1' }) ruleId!: string;
  @ApiProperty({ example: 'adjustment-review' }) kind!: string;
  @ApiProperty({ format: 'date', description: 'Standing since' }) since!: string;
  @ApiProperty() sourceEventId!: string;
  @ApiProperty({ type: CitationDto }) citation!: CitationDto;
}

export class TriggerPageDto {
  @ApiProperty({ type: [TriggerItemDto] }) items!: TriggerItemDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
