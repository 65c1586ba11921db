import { ACCESS_KINDS } from '@cadre-ledger/audit';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Absent, IsLocalDate, IsRfc3339, PageQueryDto } from '../../common/validation';
import { CitationDto, VerdictDto } from '../../eligibility/dto/eligibility.dto';
import { IDENTIFIER_PATTERN } from '@cadre-ledger/domain';
import { HASH_ALGORITHMS } from '@cadre-ledger/event-store';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';

export class HistoryQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'The stream as recorded at this instant (default: everything)' })
  @Absent()
  @IsRfc3339()
  knownAt?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 5000, description: 'A page of at most this many events, with nextCursor; without it, every event (the default answer)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page (needs limit)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
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

  @ApiProperty({ description: 'The chain hash over the writer\'s fields and prevHash, hex (hashFormat says how)' })
  hash!: string;

  @ApiProperty({ enum: ['v1', 'v2-sha256', 'v2-sm3'] })
  hashFormat!: string;

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

  @ApiPropertyOptional({ nullable: true, type: String, description: 'With limit: the cursor of the next page, null on the last' })
  nextCursor?: string | null;
}

export class FindingDto {
  @ApiProperty({ enum: ['chain-broken', 'leaf-altered', 'event-deleted', 'event-inserted', 'head-mismatch', 'head-signature', 'digest-mismatch', 'access-log-broken'] })
  kind!: string;
  @ApiPropertyOptional() stream?: string;
  @ApiPropertyOptional() revision?: number;
  @ApiPropertyOptional() eventId?: string;
  @ApiPropertyOptional() globalPosition?: number;
  @ApiPropertyOptional() treeSize?: number;
  @ApiProperty() detail!: string;
}

export class TreeHeadDto {
  @ApiProperty({ example: 'cadre-ledger' }) log!: string;
  @ApiProperty({ description: 'Events covered: the first treeSize events in global order' }) treeSize!: number;
  @ApiProperty({ description: 'RFC 9162 Merkle root over them, hex' }) rootHash!: string;
  @ApiProperty({ description: 'Global position of the last event covered' }) lastPosition!: number;
  @ApiProperty({ enum: [...HASH_ALGORITHMS] }) hashAlgorithm!: string;
  @ApiProperty({ format: 'date-time' }) signedAt!: string;
  @ApiProperty({ description: 'Names the signing key: first 16 hex digits of SHA-256 over its SPKI' }) keyId!: string;
  @ApiProperty({ description: 'The read audit as it stood: its last record' }) accessSeq!: number;
  @ApiProperty() accessHash!: string;
  @ApiProperty({ description: 'Ed25519 over the canonical JSON of the other fields, base64' }) signature!: string;
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

  @ApiPropertyOptional({ enum: ['stream', 'incremental', 'full'], description: 'What was verified: one stream, the events since the last sound head, or everything' })
  mode?: string;

  @ApiPropertyOptional({ type: [FindingDto], description: 'Everything found wrong, naming the event, head or access record' })
  findings?: FindingDto[];

  @ApiPropertyOptional({ description: 'Events stored after the newest signed head: not yet covered by one' })
  uncovered?: number;

  @ApiPropertyOptional({ type: () => TreeHeadDto, nullable: true })
  newestHead?: TreeHeadDto | null;
}

export class FullVerifyQueryDto extends VerifyQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Recompute everything (queued, one at a time) instead of verifying incrementally from the last sound head' })
  @Absent()
  @IsIn(['true', 'false'])
  full?: 'true' | 'false';
}

export class PublicKeyDto {
  @ApiProperty() keyId!: string;
  @ApiProperty({ example: 'Ed25519' }) algorithm!: string;
  @ApiProperty({ description: 'SPKI, PEM' }) publicKey!: string;
  @ApiProperty({ required: false, example: 'zzb.sx.example/cadre-ledger', description: 'The key name of the checkpoints\' signature: their origin (C2SP signed-note, tlog-checkpoint). SHA-256 stores only' })
  noteKeyName?: string;
  @ApiProperty({ required: false, example: '1a2b3c4d', description: 'The signed-note key id: SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ public key)[:4], hex' })
  noteKeyId?: string;
  @ApiProperty({ required: false, description: 'The verifier key (vkey) a witness or a policy file names the ledger by: `<key name>+<key id>+<base64(0x01 ‖ public key)>`' })
  vkey?: string;
}

export class DigestDto extends TreeHeadDto {
  @ApiProperty({ type: PublicKeyDto }) key!: PublicKeyDto;
}

export class ProofQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsString()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'eventId must be a UUID' })
  eventId!: string;

  @ApiPropertyOptional({ description: 'The signed head to prove against: its tree size or its root hash (default: the latest)' })
  @Absent()
  @IsString()
  @Matches(/^(\d{1,15}|[0-9a-f]{64})$/)
  digest?: string;
}

export class ConsistencyQueryDto {
  @ApiProperty({ description: 'Tree size of the earlier signed head' })
  @IsString()
  @Matches(/^\d{1,15}$/)
  from!: string;

  @ApiPropertyOptional({ description: 'Tree size of the later signed head (default: the latest)' })
  @Absent()
  @IsString()
  @Matches(/^\d{1,15}$/)
  to?: string;
}

export class AccessQueryDto {
  @ApiPropertyOptional({ pattern: IDENTIFIER_PATTERN.source })
  @Absent()
  @IsString()
  @Matches(IDENTIFIER_PATTERN)
  cadreId?: string;

  @ApiPropertyOptional({ description: 'The sub of the token that read' })
  @Absent()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Inclusive' })
  @Absent()
  @IsRfc3339()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive' })
  @Absent()
  @IsRfc3339()
  to?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @Absent()
  @IsString()
  @Matches(/^\d{1,15}$/)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @Absent()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class AccessItemDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() actor!: string;
  @ApiProperty() cadreId!: string;
  @ApiProperty({ enum: [...ACCESS_KINDS] }) what!: string;
  @ApiProperty({ example: 'GET /v1/cadres/:cadreId/history' }) via!: string;
  @ApiProperty() seq!: number;
  @ApiProperty() hash!: string;
}

export class AccessPageDto {
  @ApiProperty({ type: [AccessItemDto] }) items!: AccessItemDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ConflictQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ pattern: IDENTIFIER_PATTERN.source, description: 'The unit the cadre sat in on the promotion\'s date; every unit in scope when absent' })
  @IsOptional()
  @Matches(IDENTIFIER_PATTERN)
  unitId?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Promotions effective on or after this date' })
  @IsOptional()
  @IsLocalDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Promotions effective on or before this date' })
  @IsOptional()
  @IsLocalDate()
  to?: string;
}

export class ConflictLockDto {
  @ApiProperty() lockId!: string;
  @ApiProperty({ example: 'sanction' }) kind!: string;
  @ApiProperty({ example: 'CN/SANCTION-PARTY-WARNING' }) ruleId!: string;
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date', nullable: true, type: String, description: 'Exclusive; null while open-ended' }) until!: string | null;
  @ApiProperty({ description: 'The fact behind the lock' }) sourceEventId!: string;
  @ApiProperty({ type: CitationDto }) citation!: CitationDto;
}

export class ConflictItemDto {
  @ApiProperty() cadreId!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ description: 'The unit the cadre sat in on the promotion\'s date' }) unitId!: string;
  @ApiProperty() promotionEventId!: string;
  @ApiProperty({ format: 'date' }) promotedOn!: string;
  @ApiProperty({ format: 'date-time', description: 'When the ledger learnt of the promotion: for an imported (historical) promotion, the import, not the appointment' }) promotionRecordedAt!: string;
  @ApiProperty({ type: ConflictLockDto }) lock!: ConflictLockDto;
  @ApiProperty({ description: 'Whether the lock was in the records when the promotion was recorded; false is the retroactive case (带病提拔: the fact recorded later)' }) knownAtPromotion!: boolean;
  @ApiProperty({ format: 'date-time', description: 'When the fact behind the lock was recorded' }) lockRecordedAt!: string;
}

export class ConflictPageDto {
  @ApiProperty({ type: [ConflictItemDto] }) items!: ConflictItemDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class TimelineQueryDto {
  @ApiPropertyOptional({ format: 'date', description: 'Facts that took effect at or before this date (default: today, China Standard Time)' })
  @Absent()
  @IsLocalDate()
  asOf?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'The records as they stood at this instant (default: now)' })
  @Absent()
  @IsRfc3339()
  knownAt?: string;
}

export class TimelineEffectDto {
  @ApiProperty({ enum: ['lock', 'priority', 'review-trigger', 'condition', 'benefit'] }) effect!: string;
  @ApiProperty({ example: 'demotion' }) kind!: string;
  @ApiProperty({ example: 'CN-SN/NSX-16b' }) ruleId!: string;
  @ApiProperty({ example: 'CN-SN-2018' }) ruleSet!: string;
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiPropertyOptional({ format: 'date', nullable: true, type: String, description: 'Exclusive; null while open-ended; absent where the rule sets no end' }) until?: string | null;
  @ApiProperty({ description: 'Whether it holds on asOf' }) holds!: boolean;
  @ApiProperty({ type: CitationDto }) citation!: CitationDto;
}

export class TimelineEntryDto {
  @ApiProperty() stream!: string;
  @ApiProperty() revision!: number;
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'CadreAdjusted' }) type!: string;
  @ApiProperty({ format: 'date' }) effectiveAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty() actor!: string;
  @ApiProperty({ nullable: true, type: String, description: '文号' }) documentRef!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({ type: [TimelineEffectDto], description: 'What the policy engine says this fact produced, held or ended' }) effects!: TimelineEffectDto[];
  @ApiPropertyOptional({ description: 'The later tolerance decision, clearance or retraction that took its effects away', example: { eventId: '…', outcome: 'exempted' } })
  neutralisedBy?: { eventId: string; outcome: string };
}

export class TimelineDto {
  @ApiProperty() cadreId!: string;
  @ApiProperty({ format: 'date' }) asOf!: string;
  @ApiProperty({ format: 'date-time' }) knownAt!: string;
  @ApiProperty({ type: [TimelineEntryDto], description: 'Facts effective by asOf as recorded by knownAt, in effective order (unit facts only where they did something for this cadre)' }) timeline!: TimelineEntryDto[];
  @ApiProperty({ description: 'Facts recorded by knownAt that take effect after asOf (not shown)' }) laterFacts!: number;
  @ApiProperty({ type: VerdictDto }) verdict!: VerdictDto;
}
