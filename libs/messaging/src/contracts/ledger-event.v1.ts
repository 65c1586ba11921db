import type { StoredEvent } from '@cadre-ledger/event-store';

/** Topic of every stored event (ARCHITECTURE.md, "Kafka"). */
export const LEDGER_EVENTS_TOPIC = 'cadre-ledger.events.v1';

/**
 * The public shape of a ledger event on Kafka, version 1. A contract, not the internal object:
 * consumers code against these names, and a change is a new version (and topic), never an edit.
 * Delivery is at least once: consumers de-duplicate on `eventId`.
 */
export interface LedgerEventMessageV1 {
  contract: 'cadre-ledger.event.v1';
  eventId: string;
  type: string;
  schemaVersion: number;
  /** `cadre` for `cadre-{id}` streams, `unit` for `unit-{id}`. */
  subject: { kind: 'cadre' | 'unit'; id: string };
  revision: number;
  globalPosition: number;
  effectiveAt: string;
  recordedAt: string;
  actor: string;
  documentRef: string | null;
  data: Record<string, unknown>;
  hash: string;
  prevHash: string;
}

export interface KafkaRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Whose event it is, from its stream: `cadre-{id}` or `unit-{id}` (every contract's key is the id). */
export function subjectOf(stream: string): { kind: 'cadre' | 'unit'; id: string } {
  const [kind, ...rest] = stream.split('-');
  return { kind: kind === 'unit' ? 'unit' : 'cadre', id: rest.join('-') };
}

/** Key = cadreId (unitId for unit streams), so one cadre's events stay in order on one partition. */
export function ledgerEventRecord(event: StoredEvent): KafkaRecord {
  const subject = subjectOf(event.stream);
  const message: LedgerEventMessageV1 = {
    contract: 'cadre-ledger.event.v1',
    eventId: event.eventId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    subject,
    revision: event.revision,
    globalPosition: event.globalPosition,
    effectiveAt: event.effectiveAt,
    recordedAt: event.recordedAt,
    actor: event.actor,
    documentRef: event.documentRef,
    data: event.data,
    hash: event.hash,
    prevHash: event.prevHash,
  };
  return {
    key: subject.id,
    value: JSON.stringify(message),
    headers: { eventId: event.eventId, type: event.type, schemaVersion: String(event.schemaVersion), contract: message.contract },
  };
}

/** Parses and checks a message of this contract (for consumers, and the consumer-group projector). */
export function parseLedgerEventMessage(value: string): LedgerEventMessageV1 {
  const parsed = JSON.parse(value) as Partial<LedgerEventMessageV1>;
  if (parsed.contract !== 'cadre-ledger.event.v1' || typeof parsed.eventId !== 'string' || !parsed.subject) {
    throw new Error('not a cadre-ledger.event.v1 message');
  }
  return parsed as LedgerEventMessageV1;
}
