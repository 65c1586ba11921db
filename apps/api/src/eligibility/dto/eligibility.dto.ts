import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { IDENTIFIER_PATTERN, MANAGED_BY, VERDICT_NOTE_KINDS } from '@cadre-ledger/domain';
import { Absent, IsLocalDate, IsRfc3339 } from '../../common/validation';

export class EligibilityQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'Facts that took effect at or before this date (default: today, China Standard Time)' })
  @Absent()
  @IsLocalDate()
  asOf?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Facts recorded at or before this instant (default: now); a recordedAt copied from the API includes its fact' })
  @Absent()
  @IsRfc3339()
  knownAt?: string;
}

export class EligibilityListQueryDto {
  @ApiPropertyOptional({ pattern: IDENTIFIER_PATTERN.source })
  @IsOptional()
  @Matches(IDENTIFIER_PATTERN)
  unitId?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  promotable?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class CitationDto {
  @ApiProperty({ example: '陕西省推进省管党政领导干部能上能下办法(试行)' })
  document!: string;

  @ApiProperty({ example: '第十六条' })
  article!: string;

  @ApiProperty({ example: '降职的,两年内不得提拔' })
  text!: string;
}

export class LockDto {
  @ApiProperty()
  lockId!: string;

  @ApiProperty({ description: 'Adjustment kind, caution, investigation, annual-review, party-<kind> or administrative-<kind>', example: 'demotion' })
  kind!: string;

  @ApiProperty({ example: 'CN-SN/NSX-16b' })
  ruleId!: string;

  @ApiProperty({ format: 'date' })
  from!: string;

  @ApiProperty({ format: 'date', nullable: true, type: String, description: 'Exclusive; null while open-ended' })
  until!: string | null;

  @ApiProperty({ format: 'uuid' })
  sourceEventId!: string;

  @ApiProperty({ type: CitationDto })
  citation!: CitationDto;

  @ApiPropertyOptional({ description: 'The rule-set version applied', example: 'CN-SN-2018' })
  ruleSet?: string;

  @ApiPropertyOptional({ enum: [...MANAGED_BY], description: 'For a lock from a measure (adjustment, sanction): the level that took it, as recorded or else the cadre\'s managedBy the day before; the scope of rules limited to a management level' })
  measureTakenBy?: string;
}

export class VerdictEntryDto {
  @ApiProperty()
  ruleId!: string;

  @ApiProperty({ example: 'three-years-excellent' })
  kind!: string;

  @ApiProperty({ format: 'date' })
  since!: string;

  @ApiPropertyOptional({ format: 'date' })
  until?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  sourceEventId?: string;

  @ApiProperty({ type: CitationDto })
  citation!: CitationDto;

  @ApiPropertyOptional()
  ruleSet?: string;
}

export class NeutralisedFactDto {
  @ApiProperty({ format: 'uuid' })
  sourceEventId!: string;

  @ApiProperty({ format: 'uuid' })
  byEventId!: string;

  @ApiProperty({ enum: ['exempted', 'mitigated', 'cleared'] })
  outcome!: string;

  @ApiPropertyOptional()
  ruleId?: string;
}

/** The eligibility verdict of API.md. */
export class VerdictNoteDto {
  @ApiProperty({ enum: [...VERDICT_NOTE_KINDS], description: 'What the verdict assumed or could not judge; no-rule-for-date only where the fact, judged by the encoded rule nearest in time, would still change the verdict' })
  kind!: string;

  @ApiProperty({ description: 'Which fact or rule, and why' })
  text!: string;
}

export class VerdictDto {
  @ApiProperty()
  cadreId!: string;

  @ApiProperty({ format: 'date' })
  asOf!: string;

  @ApiProperty({ format: 'date-time' })
  knownAt!: string;

  @ApiProperty({ description: 'True exactly when locks is empty' })
  promotable!: boolean;

  @ApiProperty({ type: [LockDto] })
  locks!: LockDto[];

  @ApiProperty({ type: [VerdictEntryDto] })
  priorities!: VerdictEntryDto[];

  @ApiProperty({ type: [VerdictEntryDto] })
  reviewTriggers!: VerdictEntryDto[];

  @ApiProperty({ type: [VerdictEntryDto] })
  conditions!: VerdictEntryDto[];

  @ApiProperty({ type: [VerdictEntryDto] })
  benefits!: VerdictEntryDto[];

  @ApiProperty({ type: [String], example: ['CN-SN-2018', 'CN'] })
  ruleSets!: string[];

  @ApiPropertyOptional({ type: [NeutralisedFactDto], description: 'Facts whose effects a tolerance decision or clearance removed or lightened' })
  neutralised?: NeutralisedFactDto[];

  @ApiProperty({ type: [VerdictNoteDto], description: 'What the verdict assumed or could not judge (API.md, "Verdict additions")' })
  notes!: VerdictNoteDto[];
}

/** A verdict from the read model, with the unit the cadre sits in today. */
export class ListedVerdictDto extends VerdictDto {
  @ApiProperty({ description: 'The unit of the cadre’s current post' })
  unitId!: string;
}

export class EligibilityPageDto {
  @ApiProperty({ type: [ListedVerdictDto] })
  items!: ListedVerdictDto[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor!: string | null;
}
