/**
 * Between the port's events and EventStoreDB's: what goes into an event's data and custom
 * metadata, and how a recorded event becomes a `StoredEvent` again.
 *
 * The event's `data` is the ledger event's `data`, untouched, so other EventStoreDB tools
 * (projections, the UI) see the business payload. Everything else the port carries goes into
 * the custom metadata (`LedgerMetadata`); `recordedAt` comes from the server's `created`,
 * `revision` from the stream revision and `globalPosition` from the `$all` commit position.
 */
import { createHash } from 'node:crypto';
import { jsonEvent, type EventData } from '@eventstore/db-client';
import type { StoredEvent } from '../port';
import { formatEpochMicros } from '../recorded-at';
import type { RecordedEvent } from './wire-reads';

/** Streams the ledger writes (ARCHITECTURE.md, "Streams"); `$all` also holds the server's own. */
export const LEDGER_STREAM_PREFIXES = ['cadre-', 'unit-'] as const;

export const isLedgerStream = (stream: string): boolean => LEDGER_STREAM_PREFIXES.some((prefix) => stream.startsWith(prefix));

/** The custom metadata of every ledger event. */
export interface LedgerMetadata {
  /** The caller's id, verbatim: the server's own event id is a normalised UUID (see `esdbEventId`). */
  eventId: string;
  schemaVersion: number;
  effectiveAt: string;
  actor: string;
  documentRef: string | null;
  prevHash: string;
  hash: string;
  /** Absent on events written before formats were recorded: they are `v1`. */
  hashFormat?: string;
}

/** What is appended: a stored event minus what the server assigns. */
export type Unrecorded = Omit<StoredEvent, 'recordedAt' | 'globalPosition'>;

export function toJsonEvent(event: Unrecorded): EventData {
  const metadata: LedgerMetadata = {
    eventId: event.eventId,
    schemaVersion: event.schemaVersion,
    effectiveAt: event.effectiveAt,
    actor: event.actor,
    documentRef: event.documentRef,
    prevHash: event.prevHash,
    hash: event.hash,
    hashFormat: event.hashFormat,
  };
  return jsonEvent({ id: esdbEventId(event.eventId), type: event.type, data: event.data, metadata: { ...metadata } });
}

/**
 * `undefined` for what is not a ledger event (the server's `$` streams, other applications,
 * binary events). A ledger-stream event with missing metadata fields is still returned, with
 * empty strings where the fields are missing, so that `verifyStream` reports it as broken
 * instead of the read failing or skipping it silently.
 */
export function toStoredEvent(record: RecordedEvent): StoredEvent | undefined {
  const stream = Buffer.from(record.getStreamIdentifier()?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
  const headers = record.getMetadataMap();
  if (!isLedgerStream(stream) || headers.get('content-type') !== 'application/json') return undefined;
  const metadata = parseJsonObject(record.getCustomMetadata_asU8()) as Partial<LedgerMetadata>;
  const created = headers.get('created');
  if (!created) throw new Error(`EventStoreDB returned ${stream}@${record.getStreamRevision()} without its created time`);
  return {
    eventId: metadata.eventId ?? record.getId()?.getString() ?? '',
    type: headers.get('type') ?? '',
    schemaVersion: typeof metadata.schemaVersion === 'number' ? metadata.schemaVersion : 1,
    stream,
    revision: toSafeNumber(BigInt(record.getStreamRevision()), 'stream revision'),
    globalPosition: toSafeNumber(BigInt(record.getCommitPosition()), '$all commit position'),
    effectiveAt: metadata.effectiveAt ?? '',
    // 100 ns ticks since the Unix epoch, kept to the microsecond (see wire-reads.ts for why).
    recordedAt: formatEpochMicros(BigInt(created) / TICKS_PER_MICROSECOND),
    actor: metadata.actor ?? '',
    documentRef: metadata.documentRef ?? null,
    data: parseJsonObject(record.getData_asU8()),
    prevHash: metadata.prevHash ?? '',
    hash: metadata.hash ?? '',
    hashFormat: typeof metadata.hashFormat === 'string' ? metadata.hashFormat : 'v1',
  };
}

const TICKS_PER_MICROSECOND = 10n;

/**
 * `$all` positions are byte offsets in the server's log: far below 2^53 for any real log
 * (8 PiB), but a silent rounding would corrupt resume positions, so it is checked.
 */
export function toSafeNumber(value: bigint, what: string): number {
  const result = Number(value);
  if (!Number.isSafeInteger(result)) throw new Error(`EventStoreDB ${what} ${value} does not fit the port's number`);
  return result;
}


const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Fixed namespace for name-based ids; changing it would change the server id of every non-UUID eventId. */
const LEDGER_NAMESPACE = Buffer.from('6c0e3c6e8f0a4d8e9f5b2a7d1c4e8b30', 'hex');

/**
 * EventStoreDB requires a UUID as event id. A UUID eventId is used as is (lower-cased, as the
 * server returns it); anything else maps to a name-based UUID (RFC 4122 version 5), so the same
 * eventId always gets the same server id. The caller's string survives in the metadata.
 */
export function esdbEventId(eventId: string): string {
  if (UUID_PATTERN.test(eventId)) return eventId.toLowerCase();
  const bytes = createHash('sha1').update(LEDGER_NAMESPACE).update(eventId, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A JSON object, or `{}` for anything else: a foreign payload must not make a ledger read throw. */
function parseJsonObject(bytes: Uint8Array): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
