import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LockDto, VerdictEntryDto } from '../eligibility/dto/eligibility.dto';

/** The 201 of every write (API.md, "Writes"); `ETag: "<revision>"` carries the same revision. */
export class WriteResultDto {
  @ApiProperty({ format: 'uuid' })
  eventId!: string;

  @ApiProperty({ example: 'CadreAdjusted' })
  type!: string;

  @ApiPropertyOptional({ description: 'Present on writes to a cadre', example: 'c-001' })
  cadreId?: string;

  @ApiPropertyOptional({ description: 'Present on unit assessments instead of cadreId', example: 'sx-fgw' })
  unitId?: string;

  @ApiProperty({ description: 'Stream revision after the write (the first event is 0)', example: 1 })
  revision!: number;

  @ApiProperty({ format: 'date', description: 'For a retraction, the China date it was recorded' })
  effectiveAt!: string;

  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;
}

export class ProblemFieldErrorDto {
  @ApiProperty({ example: 'position.level' })
  field!: string;

  @ApiProperty()
  message!: string;
}

/** RFC 9457 problem document; refusals add `errors`, `locks`, `currentStep` and other members. */
export class ProblemDto {
  @ApiProperty({ example: 'urn:cadre-ledger:problem:promotion-locked' })
  type!: string;

  @ApiProperty({ example: 'Conflict' })
  title!: string;

  @ApiProperty({ example: 409 })
  status!: number;

  @ApiProperty()
  detail!: string;

  @ApiPropertyOptional({ description: 'Stable code of a domain refusal', example: 'promotion-locked' })
  code?: string;

  @ApiPropertyOptional({ type: [ProblemFieldErrorDto] })
  errors?: ProblemFieldErrorDto[];

  @ApiPropertyOptional({ description: 'promotion-locked: the locks that hold on the promotion\'s date (as the verdict\'s locks, each with its clause)', type: () => [LockDto] })
  locks?: LockDto[];

  @ApiPropertyOptional({ description: 'consultation-required: the conditions standing (第十六条: the higher department consulted first), each with its clause', type: () => [VerdictEntryDto] })
  conditions?: VerdictEntryDto[];

  @ApiPropertyOptional({ description: 'The step a tolerance case stands at, when a step came out of order' })
  currentStep?: string;
}
