import type { Fact } from '@cadre-ledger/domain';
import type { EventStore, StoredEvent } from '@cadre-ledger/event-store';
import { toFact } from './facts';

/** A stream as read: every event stored, as events and as facts, at `revision` (-1: no stream). Do not mutate. */
export interface StreamSnapshot {
  stream: string;
  revision: number;
  events: readonly StoredEvent[];
  facts: readonly Fact[];
}

interface Entry extends StreamSnapshot {
  /** Values derived from the stream (a folded state), each at the revision it was derived at. */
  derived: Map<unknown, { revision: number; value: unknown }>;
  /** Streams usually read with this one (a cadre's units). */
  companions: readonly string[];
}

/** Events the cache holds across all streams by default (about 150 MiB of parsed events). */
export const DEFAULT_STREAM_CACHE_EVENTS = 200_000;

/**
 * Streams as last read, kept so that the next read fetches only what was appended since: each read
 * asks the store for the events after the revision held (one round trip for several streams where
 * the store offers `readStreams`), so an answer is always the store's current stream, whoever wrote
 * to it (this process, another replica, the CLI). Nothing is ever taken as current because of
 * time: a stream's events never change once stored, so the revision is the whole key. Least
 * recently read streams are dropped beyond `capacity` events.
 */
export class StreamCache {
  private readonly entries = new Map<string, Entry>();
  private held = 0;

  constructor(
    private readonly store: EventStore,
    private readonly capacity = DEFAULT_STREAM_CACHE_EVENTS,
  ) {}

  /** The streams as stored now, in the order asked. */
  async read(streams: readonly string[]): Promise<StreamSnapshot[]> {
    const unique = [...new Set(streams)];
    const asks = unique.map((stream) => ({ stream, fromRevision: (this.entries.get(stream)?.revision ?? -1) + 1 }));
    const answers = this.store.readStreams
      ? await this.store.readStreams(asks)
      : await Promise.all(asks.map(({ stream, fromRevision }) => this.store.readStream(stream, { fromRevision })));
    const byStream = new Map<string, StreamSnapshot>();
    for (const [index, { stream, fromRevision }] of asks.entries()) byStream.set(stream, await this.merge(stream, fromRevision, answers[index]));
    this.evict();
    return streams.map((stream) => byStream.get(stream)!);
  }

  /** Events this process just appended: the held stream grows without a read, when it is the revision they follow. */
  remember(stream: string, appended: readonly StoredEvent[]): void {
    const entry = this.entries.get(stream);
    if (!entry || appended.length === 0 || appended[0].revision !== entry.revision + 1) return;
    this.grow(entry, appended);
  }

  /**
   * A value derived from a stream (a folded state), kept with it: `derive` gets the value held
   * for an earlier revision of the same stream, if any, to extend it with the facts after it.
   */
  derived<T>(snapshot: StreamSnapshot, key: unknown, derive: (earlier: { revision: number; value: T } | undefined) => T): T {
    const entry = this.entries.get(snapshot.stream);
    const held = entry?.derived.get(key) as { revision: number; value: T } | undefined;
    if (held && held.revision === snapshot.revision) return held.value;
    const value = derive(held && held.revision < snapshot.revision ? held : undefined);
    if (entry && entry.revision === snapshot.revision) entry.derived.set(key, { revision: snapshot.revision, value });
    return value;
  }

  /**
   * Streams usually read together with this one (a cadre's units): a hint for the next read to
   * fetch them in the same round trip, never an answer (each is read from the store all the same).
   */
  companions(stream: string): readonly string[] {
    return this.entries.get(stream)?.companions ?? [];
  }

  setCompanions(stream: string, streams: readonly string[]): void {
    const entry = this.entries.get(stream);
    if (entry) entry.companions = streams;
  }

  /** Events held across all streams. */
  get size(): number {
    return this.held;
  }

  private async merge(stream: string, from: number, fresh: readonly StoredEvent[]): Promise<StreamSnapshot> {
    let entry = this.entries.get(stream);
    if (entry && entry.revision >= from - 1) {
      // Map order is insertion order: re-inserted, it is the most recently read.
      this.entries.delete(stream);
      this.entries.set(stream, entry);
      const after = fresh.filter((event) => event.revision > entry!.revision);
      if (after.length > 0) this.grow(entry, after);
      return snapshotOf(entry);
    }
    if (from > 0) {
      // Dropped while this read was under way: read the whole stream again.
      fresh = await this.store.readStream(stream);
      entry = this.entries.get(stream);
      if (entry) return snapshotOf(entry);
    }
    if (fresh.length === 0) return { stream, revision: -1, events: [], facts: [] };
    entry = { stream, revision: -1, events: [], facts: [], derived: new Map(), companions: [] };
    this.entries.set(stream, entry);
    this.grow(entry, fresh);
    return snapshotOf(entry);
  }

  private grow(entry: Entry, events: readonly StoredEvent[]): void {
    // New arrays: a snapshot handed out earlier keeps the revision it was read at.
    entry.events = Object.freeze([...entry.events, ...events]);
    entry.facts = Object.freeze([...entry.facts, ...events.map(toFact)]);
    entry.revision = events[events.length - 1].revision;
    this.held += events.length;
  }

  private evict(): void {
    for (const [stream, entry] of this.entries) {
      if (this.held <= this.capacity) break;
      this.entries.delete(stream);
      this.held -= entry.events.length;
    }
  }
}

const snapshotOf = (entry: Entry): StreamSnapshot => ({ stream: entry.stream, revision: entry.revision, events: entry.events, facts: entry.facts });
