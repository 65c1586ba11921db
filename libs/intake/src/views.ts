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
  /** The hash of the last event as stored, or as the import file or the import computed it for a pending one (none for the spreadsheet intake's: the store chains them). */
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

/** Streams loaded in one `readStreams` call. */
const READ_BATCH = 200;

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
      // Map order is insertion order: re-insert to mark as recently used (pointless when nothing is evicted).
      if (this.capacity !== Infinity) {
        this.views.delete(stream);
        this.views.set(stream, cached);
      }
      return cached;
    }
    const loading = this.loading.get(stream);
    if (loading) return loading;
    const load = this.store.readStream(stream).then((stored) => {
      const view = viewOf(stream, stored);
      this.views.set(stream, view);
      return view;
    });
    this.loading.set(stream, load);
    try {
      return await load;
    } finally {
      this.loading.delete(stream);
    }
  }

  private readonly loading = new Map<string, Promise<StreamView>>();
  private readonly queued: string[] = [];
  private readers = 0;
  private failure: unknown;
  private idle: (() => void)[] = [];

  /** Loads the views of many streams at once, a few reads in flight. */
  async prefetch(streams: Iterable<string>, concurrency = 8): Promise<void> {
    for (const stream of new Set(streams)) this.warm(stream, concurrency);
    await this.warmed();
  }

  /**
   * Starts loading a stream's view in the background (a few reads in flight), so that the store
   * answers while the caller goes on reading its file; `warmed()` waits for every one started.
   */
  warm(stream: string, concurrency = 8): void {
    if (this.views.has(stream) || this.loading.has(stream)) return;
    this.queued.push(stream);
    while (this.readers < concurrency && this.queued.length > 0) {
      this.readers += 1;
      void this.drain();
    }
  }

  async warmed(): Promise<void> {
    if (this.readers > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure;
    }
  }

  private async drain(): Promise<void> {
    while (this.queued.length > 0) {
      const batch = new Set<string>();
      while (batch.size < READ_BATCH && this.queued.length > 0) {
        const stream = this.queued.pop()!;
        if (!this.views.has(stream) && !this.loading.has(stream)) batch.add(stream);
      }
      try {
        await this.load([...batch]);
      } catch (error) {
        this.failure ??= error;
      }
    }
    this.readers -= 1;
    if (this.readers === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  /** Several streams in one read where the store can (`readStreams`), else one by one. */
  private async load(streams: readonly string[]): Promise<void> {
    if (streams.length === 0) return;
    if (!this.store.readStreams || streams.length === 1) {
      await Promise.all(streams.map((stream) => this.get(stream)));
      return;
    }
    const read = this.store.readStreams(streams.map((stream) => ({ stream }))).then((answers) => {
      streams.forEach((stream, index) => this.views.set(stream, viewOf(stream, answers[index])));
    });
    for (const stream of streams) {
      const view = read.then(() => this.views.get(stream)!);
      view.catch(() => undefined); // the read's failure is the drain's to report
      this.loading.set(stream, view);
    }
    try {
      await read;
    } finally {
      for (const stream of streams) this.loading.delete(stream);
    }
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

  /** Drops the least recently used views beyond capacity (never one with pending events, nor one in `keep`). */
  trim(keep: ReadonlySet<string> = new Set()): void {
    for (const [stream, view] of this.views) {
      if (this.views.size <= this.capacity) break;
      if (view.pending.length === 0 && !keep.has(stream)) this.views.delete(stream);
    }
  }
}
