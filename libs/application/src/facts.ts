import { SCHEMA_VERSIONS, type DecidedEvent, type Fact, type LedgerEvent } from '@cadre-ledger/domain';
import type { NewEvent, StoredEvent } from '@cadre-ledger/event-store';

/** A decided domain event as the store takes it. */
export function toNewEvent(event: DecidedEvent<LedgerEvent>): NewEvent {
  return {
    eventId: event.metadata.eventId,
    type: event.type,
    schemaVersion: SCHEMA_VERSIONS[event.type],
    effectiveAt: event.metadata.effectiveAt,
    actor: event.metadata.actor,
    documentRef: event.metadata.documentRef ?? null,
    data: event.data as unknown as Record<string, unknown>,
  };
}

/**
 * A stored event as the domain and the policy engine see it. Every stored type is at schema
 * version 1 today; when a shape changes, its upcaster goes here, never an edit of stored data.
 */
export function toFact(stored: StoredEvent): Fact {
  if (stored.schemaVersion !== SCHEMA_VERSIONS[stored.type as LedgerEvent['type']]) {
    throw new Error(`event ${stored.eventId}: no upcaster for ${stored.type} schema version ${stored.schemaVersion}`);
  }
  return {
    type: stored.type,
    data: stored.data,
    metadata: {
      eventId: stored.eventId,
      effectiveAt: stored.effectiveAt,
      recordedAt: stored.recordedAt,
      actor: stored.actor,
      documentRef: stored.documentRef,
      revision: stored.revision,
    },
  } as Fact;
}
