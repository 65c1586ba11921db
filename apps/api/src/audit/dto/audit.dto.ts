import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Absent, IsRfc3339 } from '../../common/validation';
import { IDENTIFIER_PATTERN } from '@cadre-ledger/domain';
import { IsString, Matches } from 'class-validator';

export class HistoryQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'The stream as recorded at this instant (default: everything)' })
  @Absent()
  @IsRfc3339()
  knownAt?: string;
}

export class VerifyQueryDto {
  @ApiPropertyOptional({ pattern: IDENTIFIER_PATTERN.source, description: 'One cadre; without it, every cadre stream the caller may see' })
  @Absent()
  @IsString()
  @Matches(IDENTIFIER_PATTERN)
  cadreId?: string;
}

export class HistoryEventDto {
  @ApiProperty({ format: 'uuid' })
  eventId!: string;

  @ApiProperty({ example: 'CadreAdjusted' })
  type!: string;

  @ApiProperty()
  revision!: number;

  @ApiProperty({ format: 'date' })
  effectiveAt!: string;

  @ApiProperty({ format: 'date-time' })
  recordedAt!: string;

  @ApiProperty({ description: 'sub of the token that recorded it' })
  actor!: string;

  @ApiPropertyOptional({ nullable: true, type: String, description: '文号' })
  documentRef?: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true })
  data!: Record<string, unknown>;

  @ApiProperty({ description: 'sha256(prevHash ‖ canonical JSON of the event), hex' })
  hash!: string;

  @ApiProperty({ description: 'Hash of the previous event; 64 zeros for revision 0' })
  prevHash!: string;
}

export class HistoryDto {
  @ApiProperty()
  cadreId!: string;

  @ApiProperty()
  revision!: number;

  @ApiProperty({ type: [HistoryEventDto] })
  events!: HistoryEventDto[];
}

export class BrokenAtDto {
  @ApiProperty({ example: 'cadre-c-001' })
  stream!: string;

  @ApiProperty()
  revision!: number;

  @ApiProperty({ format: 'uuid' })
  eventId!: string;
}

export class VerifyResultDto {
  @ApiProperty()
  ok!: boolean;

  @ApiProperty({ description: 'Events whose hash was recomputed' })
  checked!: number;

  @ApiPropertyOptional({ type: BrokenAtDto, description: 'The first event whose hash or prevHash does not match' })
  brokenAt?: BrokenAtDto;

  @ApiPropertyOptional({ description: 'Streams verified' })
  streams?: number;
}
