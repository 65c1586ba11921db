import type { StoredEvent } from '../port';

/** Columns of a stored event as every query here selects them. */
/** The columns a StoredEvent is read from, of `ledger_events` or of the alias given. */
export const eventColumns = (alias?: string) => {
  const a = alias ? `${alias}.` : '';
  return `${a}global_position, ${a}stream, ${a}revision, ${a}event_id, ${a}type, ${a}schema_version, ${a}effective_at, ${a}actor,
  ${a}document_ref, ${a}data, ${a}prev_hash, ${a}hash, ${a}hash_format, ledger_format_time(${a}recorded_at) AS recorded_at`;
};

export const EVENT_COLUMNS = eventColumns();

export interface EventRow {
  global_position: string;
  stream: string;
  revision: string;
  event_id: string;
  type: string;
  schema_version: number;
  effective_at: string;
  actor: string;
  document_ref: string | null;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
  hash_format: string;
  recorded_at: string;
}

/** node-postgres returns bigint as text; positions stay below 2^53 (see POSITION_TX_SHIFT). */
export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    stream: row.stream,
    revision: Number(row.revision),
    globalPosition: Number(row.global_position),
    effectiveAt: row.effective_at,
    recordedAt: row.recorded_at,
    actor: row.actor,
    documentRef: row.document_ref,
    data: row.data,
    prevHash: row.prev_hash,
    hash: row.hash,
    hashFormat: row.hash_format,
  };
}
