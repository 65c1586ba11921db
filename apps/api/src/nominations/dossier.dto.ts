import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { IDENTIFIER_PATTERN, POSITION_LEVELS, type PositionLevel } from '@cadre-ledger/domain';
import { Absent, IsLocalDate, IsRfc3339, Text } from '../common/validation';
import { Nested } from '../common/nested';
import { CitationDto, VerdictDto } from '../eligibility/dto/eligibility.dto';

/** The most candidates one dossier lists. */
export const MAX_DOSSIER_CANDIDATES = 100;

export class ProposedPositionDto {
  @Text(200, { description: 'The post the candidates are proposed for', example: '副县长' })
  title!: string;

  @ApiPropertyOptional({ enum: [...POSITION_LEVELS] })
  @Absent()
  @IsIn([...POSITION_LEVELS])
  level?: PositionLevel;
}

export class DossierRequestDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: MAX_DOSSIER_CANDIDATES, description: 'The candidates, in the order the dossier lists them', example: ['c-001', 'c-002'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_DOSSIER_CANDIDATES)
  @ArrayUnique({ message: 'cadreIds must not name a cadre twice' })
  @IsString({ each: true })
  @Matches(IDENTIFIER_PATTERN, { each: true, message: `each of cadreIds must match ${IDENTIFIER_PATTERN.source}` })
  cadreIds!: string[];

  @ApiProperty({ format: 'date', description: 'The date of the nomination: each verdict is on this date', example: '2026-12-01' })
  @IsLocalDate()
  asOf!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'The records as they stood at this instant (default: now): a dossier drawn up again as it was' })
  @Absent()
  @IsRfc3339()
  knownAt?: string;

  @ApiPropertyOptional({ type: ProposedPositionDto })
  @Absent()
  @Nested(ProposedPositionDto)
  proposedPosition?: ProposedPositionDto;

  @ApiPropertyOptional({ maxLength: 200, description: 'What the dossier is for; printed in its header', example: '2026年县处级领导班子换届考察' })
  @Absent()
  @IsString()
  @MaxLength(200)
  @Matches(/\S/, { message: 'purpose must not be blank' })
  purpose?: string;
}

export class DossierEffectDto {
  @ApiProperty({ enum: ['lock', 'condition', 'review-trigger', 'priority', 'benefit', 'exclusion'] }) effect!: string;
  @ApiProperty({ example: 'demotion' }) kind!: string;
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiPropertyOptional({ format: 'date', nullable: true, type: String, description: 'Exclusive; null while open-ended; absent where the rule sets no end' }) until?: string | null;
}

export class DossierFactDto {
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'CadreAdjusted' }) type!: string;
  @ApiProperty({ example: '调整(能下)' }) typeZh!: string;
  @ApiProperty({ format: 'date' }) effectiveAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ nullable: true, type: String, description: '文号; null when none was recorded' }) documentRef!: string | null;
}

export class DossierClauseDto extends CitationDto {
  @ApiProperty({ example: 'CN-SN/NSX-16b' }) ruleId!: string;
  @ApiProperty({ example: 'CN-SN-2018' }) ruleSet!: string;
  @ApiProperty({ type: [DossierEffectDto], description: 'What the clause produced in the verdict' }) effects!: DossierEffectDto[];
  @ApiProperty({ type: [DossierFactDto], description: 'The facts behind it (type, date, 文号)' }) facts!: DossierFactDto[];
}

export class DossierCandidateDto {
  @ApiProperty() cadreId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() unitId!: string;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: 'The post held now' }) position!: Record<string, unknown> | null;
  @ApiProperty() promotable!: boolean;
  @ApiProperty({ type: VerdictDto }) verdict!: VerdictDto;
  @ApiProperty({ type: [DossierClauseDto], description: 'Every clause that produced something in the verdict, quoted as written, one per rule' }) clauses!: DossierClauseDto[];
  @ApiProperty({ example: '不得提拔:李明截至2026-12-01处于降职影响期(至2027-03-15前,《陕西省推进省管党政领导干部能上能下办法(试行)》第十六条)。' }) conclusion!: string;
}

export class DossierDto {
  @ApiProperty({ format: 'date' }) asOf!: string;
  @ApiProperty({ format: 'date-time' }) knownAt!: string;
  @ApiProperty({ nullable: true, type: String }) purpose!: string | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true }) proposedPosition!: Record<string, unknown> | null;
  @ApiProperty({ format: 'date-time' }) generatedAt!: string;
  @ApiProperty({ description: 'The token subject that asked' }) generatedBy!: string;
  @ApiProperty({ type: [DossierCandidateDto], description: 'In the order of cadreIds' }) candidates!: DossierCandidateDto[];
}
