import { toFact } from '@cadre-ledger/application';
import {
  evolve,
  evolveUnit,
  initialCadreState,
  initialUnitState,
  type CadreEvent,
  type CadreState,
  type Fact,
  type UnitEvent,
  type UnitState,
} from '@cadre-ledger/domain';
import { GENESIS_HASH, type EventStore, type NewEvent, type StoredEvent } from '@cadre-ledger/event-store';

/** What the import knows of one stream: what is stored, plus what it accepted and has not appended yet. */
export interface StreamView {
  stream: string;
  /** Stored and pending facts, in revision order (the deciders fold them; promotions evaluate them). */
  facts: Fact[];
  cadreState: CadreState;
  unitState: UnitState;
  /** Revision of the last stored or pending event; -1 for an empty stream. */
  revision: number;
  headHash: string;
  /** The hash of the stream's last event as the import file has it (the exporting store's format). */
  fileHeadHash: string;
  /** eventId → the event's content, to tell an idempotent re-run from a conflicting id. */
  byId: Map<string, Pick<StoredEvent, 'type' | 'effectiveAt' | 'actor' | 'documentRef' | 'data' | 'revision'>>;
  /** Accepted, not yet appended, with the line and revision of each. */
  pending: PendingEvent[];
  /** An append of this stream failed: what it accepted since is refused, and it is read again. */
  broken?: boolean;
}

export interface PendingEvent {
  event: NewEvent;
  line: number;
  revision: number;
}

/** recordedAt of an accepted event not yet stored: after anything stored, before the validation horizon. */
export const PENDING_RECORDED_AT = '9999-12-30T00:00:00.000000Z';
/** Deciders judge against everything the import holds, whatever the clocks of database and host say. */
export const VALIDATION_KNOWN_AT = '9999-12-31T00:00:00.000000Z';

export function viewOf(stream: string, stored: readonly StoredEvent[]): StreamView {
  const view: StreamView = {
    stream,
    facts: [],
    cadreState: initialCadreState(),
    unitState: initialUnitState(),
    revision: -1,
    headHash: GENESIS_HASH,
    fileHeadHash: GENESIS_HASH,
    byId: new Map(),
    pending: [],
  };
  for (const event of stored) accept(view, toFact(event), event.hash, event);
  return view;
}

/** Folds one more event into the view (stored on load, or accepted by the import). */
export function accept(view: StreamView, fact: Fact, hash: string, content: Pick<StoredEvent, 'type' | 'effectiveAt' | 'actor' | 'documentRef' | 'data' | 'revision'>, fileHash = hash): void {
  view.facts.push(fact);
  if (view.stream.startsWith('unit-')) view.unitState = evolveUnit(view.unitState, fact as Fact<UnitEvent>);
  else view.cadreState = evolve(view.cadreState, fact as Fact<CadreEvent>);
  view.revision = content.revision;
  view.headHash = hash;
  view.fileHeadHash = fileHash;
  view.byId.set(fact.metadata.eventId, content);
}

/**
 * Views of recently used streams, bounded: a stream evicted (with nothing pending) is read again
 * from the store when a later line needs it, so memory stays bounded for any file.
 */
export class StreamViews {
  private readonly views = new Map<string, StreamView>();

  constructor(
    private readonly store: EventStore,
    private readonly capacity = 5000,
  ) {}

  cached(stream: string): StreamView | undefined {
    return this.views.get(stream);
  }

  async get(stream: string): Promise<StreamView> {
    const cached = this.views.get(stream);
    if (cached) {
      // Map order is insertion order: re-insert to mark as recently used.
      this.views.delete(stream);
      this.views.set(stream, cached);
      return cached;
    }
    const view = viewOf(stream, await this.store.readStream(stream));
    this.views.set(stream, view);
    return view;
  }

  /** Loads the views of many streams at once, a few reads in flight. */
  async prefetch(streams: Iterable<string>, concurrency = 8): Promise<void> {
    const missing = [...new Set(streams)].filter((s) => !this.views.has(s));
    let next = 0;
    const worker = async () => {
      while (next < missing.length) await this.get(missing[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, missing.length) }, worker));
  }

  /** After a failed append the view no longer matches the store: read it again next time. */
  forget(stream: string): void {
    this.views.delete(stream);
  }

  broken(): StreamView[] {
    return [...this.views.values()].filter((v) => v.broken);
  }

  withPending(): StreamView[] {
    return [...this.views.values()].filter((v) => v.pending.length > 0);
  }

  /** Drops the least recently used views beyond capacity (never one with pending events). */
  trim(): void {
    for (const [stream, view] of this.views) {
      if (this.views.size <= this.capacity) break;
      if (view.pending.length === 0) this.views.delete(stream);
    }
  }
}
