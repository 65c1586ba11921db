import type { HashAlgorithm } from '@cadre-ledger/platform/hash-algorithms';

/**
 * The event store port (ARCHITECTURE.md, "Streams" and "Time").
 *
 * Adapters: PostgreSQL (embedded default), EventStoreDB (`@eventstore/db-client`), in-memory.
 * All three pass the same contract suite, `describeEventStoreContract`.
 *
 * Streams: `cadre-{cadreId}` and `unit-{unitId}`. Revisions start at 0 (the first event of a
 * stream has revision 0). Global positions are positive integers that grow with commit order;
 * they need not be dense.
 */

/** `'no-stream'`: the stream must not exist yet; `'any'`: no check; a number: the current revision. */
export type ExpectedRevision = number | 'no-stream' | 'any';

/** What a caller appends. `recordedAt`, `revision`, `globalPosition` and the hashes are the store's. */
export interface NewEvent {
  /** UUID chosen by the caller; the idempotency key of the append. */
  eventId: string;
  /** PascalCase, past tense, never renamed (`CadreAdjusted`). */
  type: string;
  /** Shape version of `data`; 1 unless an upcaster exists. */
  schemaVersion?: number;
  /** Business date of the decision, `YYYY-MM-DD` (China Standard Time). */
  effectiveAt: string;
  /** The `sub` of the token that acted. */
  actor: string;
  /** 文号, when the decision has one. */
  documentRef?: string | null;
  data: Record<string, unknown>;
}

export interface StoredEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  stream: string;
  revision: number;
  globalPosition: number;
  effectiveAt: string;
  /** RFC 3339 UTC timestamp set by the store's clock when the append commits, e.g. `2026-11-22T08:00:00.123456Z`. */
  recordedAt: string;
  actor: string;
  documentRef: string | null;
  data: Record<string, unknown>;
  /** Hash of the previous event of the same stream; 64 zeros for revision 0. */
  prevHash: string;
  /** The chain hash over the writer's fields and prevHash, lower-case hex (hash-chain.ts). */
  hash: string;
  /** How `hash` was computed: `v1`, `v2-sha256` or `v2-sm3` (hash-chain.ts, HASH_FORMATS). */
  hashFormat: string;
}

export interface AppendOptions {
  expectedRevision: ExpectedRevision;
}

/** One stream's part of a multi-stream append (`appendToStreams`). */
export interface StreamAppend {
  stream: string;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
}

/** The most events one `appendToStreams` call takes, all streams together (PostgreSQL's positions allow 4096 per transaction). */
export const MAX_EVENTS_PER_ATOMIC_APPEND = 4096;

export interface AppendResult {
  /** The stored events, in order, as `readStream` would return them. */
  events: StoredEvent[];
  /** Revision of the stream after the append. */
  nextRevision: number;
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive). Default 0. */
  fromRevision?: number;
  /** RFC 3339 timestamp: return only events whose `recordedAt` is at or before it. */
  knownAt?: string;
}

/** One stream of a `readStreams` call. */
export interface StreamRead {
  stream: string;
  /** First revision to return (inclusive). Default 0. */
  fromRevision?: number;
}

export interface ReadAllOptions {
  /** Return events strictly after this global position. Omitted or 0: from the beginning. */
  fromPosition?: number;
  /** At most this many events. */
  limit: number;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this global position. Omitted or 0: from the beginning. */
  fromPosition?: number;
}

/** A live subscription: catches up from `fromPosition`, then follows new appends, in global order. */
export interface Subscription extends AsyncIterable<StoredEvent> {
  /** Stops delivering and releases resources; the iterator then ends. */
  close(): Promise<void>;
}

export interface VerifyResult {
  ok: boolean;
  /** Number of events whose hash was recomputed. */
  checked: number;
  /** First revision whose stored hash or prevHash does not match the recomputation. */
  brokenAt?: { stream: string; revision: number; eventId: string };
}

export interface EventStore {
  /** The hash algorithm the store was created with (new events use it). */
  readonly hashAlgorithm: HashAlgorithm;
  appendToStream(stream: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /**
   * Appends to several streams in one commit: every part is stored or none is. A part that cannot
   * be appended as given refuses the whole call with the error `appendToStream` would raise
   * (WrongExpectedRevision; DuplicateEventIdConflict for an event id already stored, whatever its
   * content: this is not the idempotent path; a caller re-sending falls back to `appendToStream`,
   * which recognises its own earlier appends). Each stream at most once; at most
   * MAX_EVENTS_PER_ATOMIC_APPEND events in all. Offered by the stores that can commit several
   * streams at once (PostgreSQL, in-memory); EventStoreDB cannot, and has no such method.
   */
  appendToStreams?(appends: StreamAppend[]): Promise<AppendResult[]>;
  /** Events of one stream in revision order; `[]` for a stream that does not exist. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /**
   * Several streams at once, each from its own revision (default 0): what `readStream` would return
   * for each, in the order asked, in one round trip. Offered where the store can (PostgreSQL,
   * in-memory); callers read stream by stream otherwise. Each stream at most once.
   */
  readStreams?(reads: readonly StreamRead[]): Promise<StoredEvent[][]>;
  /** Events of every ledger stream in global order. */
  readAll(options: ReadAllOptions): Promise<StoredEvent[]>;
  /**
   * The names of the streams that hold events, in the store's own order of names, after `after`:
   * a rebuild visits every stream once this way. Offered where the store can list them cheaply
   * (PostgreSQL, in-memory).
   */
  listStreams?(options: { after?: string; limit: number }): Promise<string[]>;
  /** The global position of the last event every reader can see now (0: none). Offered with `listStreams`. */
  headPosition?(): Promise<number>;
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /** Recomputes the hash chain of one stream. */
  verifyStream(stream: string): Promise<VerifyResult>;
  /** Current revision of a stream, or `'no-stream'`. */
  streamRevision(stream: string): Promise<number | 'no-stream'>;
  close(): Promise<void>;
}

/** The expected revision did not match; nothing of the append was stored. */
export class WrongExpectedRevision extends Error {
  readonly code = 'wrong-expected-revision';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no-stream',
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevision';
  }
}

/** An eventId is already stored with different content. */
export class DuplicateEventIdConflict extends Error {
  readonly code = 'duplicate-event-id';
  constructor(
    readonly eventId: string,
    readonly stream: string,
    reason = 'is already stored with different content',
  ) {
    super(`event ${eventId} ${reason} (stream ${stream})`);
    this.name = 'DuplicateEventIdConflict';
  }
}
