import { chainHash, formatFor, GENESIS_HASH, verifyChain, type HashAlgorithm } from '../hash-chain';
import {
  DuplicateEventIdConflict,
  WrongExpectedRevision,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent,
  type StreamAppend,
  type StreamRead,
  type SubscribeOptions,
  type Subscription,
  type VerifyResult,
} from '../port';
import { formatEpochMicros, systemClockMicros, toEpochMicros } from '../recorded-at';
import { assertAtomicAppend, assertDistinctEventIds, assertDistinctStreams, matchStoredAppend } from '../same-content';

export interface InMemoryEventStoreOptions {
  /** Microseconds since the epoch; lets unit tests pin `recordedAt`. Default: the system clock. */
  clockMicros?: () => bigint;
  /** Default sha256. */
  hashAlgorithm?: HashAlgorithm;
}

/**
 * The event store in a process's memory, for unit tests of command handlers. Same contract as the
 * PostgreSQL and EventStoreDB adapters (`describeEventStoreContract`); nothing survives the process.
 * Appends are synchronous inside one tick, so global order is simply append order.
 */
export class InMemoryEventStore implements EventStore {
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly byEventId = new Map<string, StoredEvent>();
  private readonly wakers = new Set<() => void>();
  private readonly clockMicros: () => bigint;
  private lastRecordedMicros = 0n;
  private closed = false;
  readonly hashAlgorithm: HashAlgorithm;

  constructor(options: InMemoryEventStoreOptions = {}) {
    this.clockMicros = options.clockMicros ?? systemClockMicros;
    this.hashAlgorithm = options.hashAlgorithm ?? 'sha256';
  }

  async appendToStream(stream: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    assertDistinctEventIds(stream, events);
    const existing = events.filter((event) => this.byEventId.has(event.eventId));
    if (existing.length > 0) {
      const match = matchStoredAppend(stream, events, this.byEventId);
      if (!match.ok) throw new DuplicateEventIdConflict(match.conflictingEventId, stream);
      return { events: match.events.map(clone), nextRevision: match.events[match.events.length - 1].revision };
    }
    const current = this.streams.get(stream) ?? [];
    const actual = current.length === 0 ? 'no-stream' : current.length - 1;
    const expected = options.expectedRevision;
    if (expected !== 'any' && expected !== actual) throw new WrongExpectedRevision(stream, expected, actual);

    // Strictly increasing, so that a knownAt read of a stream always returns a prefix of it.
    const now = this.clockMicros();
    this.lastRecordedMicros = now > this.lastRecordedMicros ? now : this.lastRecordedMicros + 1n;
    const recordedAt = formatEpochMicros(this.lastRecordedMicros);

    let prevHash = current.length === 0 ? GENESIS_HASH : current[current.length - 1].hash;
    const stored: StoredEvent[] = events.map((event, index) => {
      const content = {
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion ?? 1,
        stream,
        revision: current.length + index,
        effectiveAt: event.effectiveAt,
        actor: event.actor,
        documentRef: event.documentRef ?? null,
        data: structuredClone(event.data),
      };
      const hashFormat = formatFor(this.hashAlgorithm);
      const hash = chainHash(prevHash, content, hashFormat);
      const storedEvent: StoredEvent = { ...content, globalPosition: this.log.length + index + 1, recordedAt, prevHash, hash, hashFormat };
      prevHash = hash;
      return storedEvent;
    });
    if (!this.streams.has(stream)) this.streams.set(stream, current);
    current.push(...stored);
    for (const event of stored) {
      this.log.push(event);
      this.byEventId.set(event.eventId, event);
    }
    for (const wake of this.wakers) wake();
    return { events: stored.map(clone), nextRevision: current.length - 1 };
  }

  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    this.assertOpen();
    assertAtomicAppend(appends);
    // Every part checked first, then all appended within this tick: nothing can come in between.
    for (const { stream, events, expectedRevision } of appends) {
      const stored = events.find((event) => this.byEventId.has(event.eventId));
      if (stored) throw new DuplicateEventIdConflict(stored.eventId, stream, 'is already stored');
      const current = this.streams.get(stream) ?? [];
      const actual = current.length === 0 ? 'no-stream' : current.length - 1;
      if (expectedRevision !== 'any' && expectedRevision !== actual) throw new WrongExpectedRevision(stream, expectedRevision, actual);
    }
    return Promise.all(appends.map(({ stream, events, expectedRevision }) => this.appendToStream(stream, events, { expectedRevision })));
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const fromRevision = options.fromRevision ?? 0;
    const knownAt = options.knownAt === undefined ? undefined : toEpochMicros(options.knownAt);
    return (this.streams.get(stream) ?? [])
      .filter((event) => event.revision >= fromRevision)
      .filter((event) => knownAt === undefined || toEpochMicros(event.recordedAt) <= knownAt)
      .map(clone);
  }

  async readStreams(reads: readonly StreamRead[]): Promise<StoredEvent[][]> {
    assertDistinctStreams(reads);
    return Promise.all(reads.map(({ stream, fromRevision }) => this.readStream(stream, { fromRevision })));
  }

  async listStreams({ after, limit }: { after?: string; limit: number }): Promise<string[]> {
    this.assertOpen();
    // Code unit order, as PostgreSQL's C collation orders them.
    return [...this.streams.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).filter((s) => after === undefined || s > after).slice(0, limit);
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.log.length;
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    this.assertOpen();
    return this.eventsAfter(options.fromPosition ?? 0, options.limit);
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    return new InMemorySubscription(this, options.fromPosition ?? 0);
  }

  async verifyStream(stream: string): Promise<VerifyResult> {
    return verifyChain(stream, this.streams.get(stream) ?? []);
  }

  async streamRevision(stream: string): Promise<number | 'no-stream'> {
    const events = this.streams.get(stream);
    return events && events.length > 0 ? events.length - 1 : 'no-stream';
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const wake of this.wakers) wake();
  }

  /**
   * Test hook: rewrites a stored event's data in place, as an attacker with database access would,
   * so that tests can prove `verifyStream` notices.
   */
  tamper(stream: string, revision: number, data: Record<string, unknown>): void {
    const event = this.streams.get(stream)?.[revision];
    if (!event) throw new Error(`no event ${stream}@${revision} to tamper with`);
    event.data = structuredClone(data);
  }

  /** @internal used by subscriptions */
  eventsAfter(position: number, limit: number): StoredEvent[] {
    // Positions are dense from 1, so the event after `position` sits at index `position`.
    return this.log.slice(position, position + limit).map(clone);
  }

  /** @internal resolves on the next append or on close */
  nextChange(): { promise: Promise<void>; cancel(): void } {
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => (wake = resolve));
    const waker = () => {
      this.wakers.delete(waker);
      wake();
    };
    this.wakers.add(waker);
    return { promise, cancel: waker };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the in-memory event store is closed');
  }
}

class InMemorySubscription implements Subscription {
  private closed = false;
  private pendingWait: { cancel(): void } | undefined;

  constructor(
    private readonly store: InMemoryEventStore,
    private position: number,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
    while (!this.closed && !this.store.isClosed) {
      const change = this.store.nextChange();
      const batch = this.store.eventsAfter(this.position, 256);
      if (batch.length > 0) change.cancel();
      for (const event of batch) {
        if (this.closed) return;
        this.position = event.globalPosition;
        yield event;
      }
      if (batch.length === 0) {
        this.pendingWait = change;
        await change.promise;
        this.pendingWait = undefined;
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pendingWait?.cancel();
  }
}

function clone(event: StoredEvent): StoredEvent {
  return { ...event, data: structuredClone(event.data) };
}
