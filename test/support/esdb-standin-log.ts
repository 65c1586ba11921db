/**
 * The in-memory log behind the EventStoreDB stand-in (`esdb-standin.ts`): streams, the `$all`
 * order, expected-revision checks and live listeners. No gRPC here; the server file translates
 * between these records and the client's protobuf messages.
 *
 * Positions imitate the shape of a real server's, not its arithmetic: each event gets one
 * commit position (equal to its prepare position, as for an ordinary single-node append) that
 * grows by the record's size, so positions are large, sparse and never equal to a revision.
 * Code that assumed dense positions or confused them with revisions fails here as it would on
 * a server.
 */

/** One stored event, as the server would hand it back. */
export interface LogRecord {
  id: string;
  stream: string;
  revision: bigint;
  position: bigint;
  type: string;
  contentType: string;
  /** .NET ticks (100 ns) since the Unix epoch, as the `created` metadata entry carries it. */
  created: bigint;
  data: Uint8Array;
  customMetadata: Uint8Array;
}

export type ProposedEvent = Pick<LogRecord, 'id' | 'type' | 'contentType' | 'data' | 'customMetadata'>;

/** What the append options ask for, mirroring the proto's `expected_stream_revision` oneof. */
export type ExpectedState = { kind: 'revision'; revision: bigint } | { kind: 'no-stream' } | { kind: 'any' } | { kind: 'stream-exists' };

export type AppendOutcome =
  | { ok: true; currentRevision: bigint; position: bigint }
  | { ok: false; current: bigint | 'no-stream'; expected: ExpectedState };

type Listener = (record: LogRecord) => void;

/**
 * `created` counts 100 ns ticks since the Unix epoch, as a server's clock gives them: finer than
 * a millisecond, so an adapter that dropped the sub-millisecond part would be caught here.
 * Wall clock at start, then the monotonic high-resolution timer.
 */
const clockOrigin = { ticks: BigInt(Date.now()) * 10_000n, performanceMs: performance.now() };
const nowTicks = (): bigint => clockOrigin.ticks + BigInt(Math.floor((performance.now() - clockOrigin.performanceMs) * 10_000));
/** A real log starts well past zero (its header and the server's own first records). */
const FIRST_POSITION = 1_024n;

export class StandInLog {
  private readonly all: LogRecord[] = [];
  /** Where each event starts: the only places inside the log a read may start from. */
  private readonly boundaries = new Set<bigint>([0n]);
  private readonly streams = new Map<string, LogRecord[]>();
  private readonly listeners = new Set<Listener>();
  private nextPosition = FIRST_POSITION;

  /** Checks the expectation, then stores every event or none, and tells live listeners. */
  append(stream: string, expected: ExpectedState, events: ProposedEvent[]): AppendOutcome {
    const existing = this.streams.get(stream) ?? [];
    const current: bigint | 'no-stream' = existing.length === 0 ? 'no-stream' : BigInt(existing.length - 1);
    const matches =
      expected.kind === 'any' ||
      (expected.kind === 'no-stream' && current === 'no-stream') ||
      (expected.kind === 'stream-exists' && current !== 'no-stream') ||
      (expected.kind === 'revision' && current === expected.revision);
    if (!matches) return { ok: false, current, expected };

    const created = nowTicks();
    const stored = events.map((event, index): LogRecord => {
      const position = this.nextPosition;
      this.nextPosition += BigInt(64 + stream.length + event.type.length + event.data.length + event.customMetadata.length);
      return { ...event, stream, revision: BigInt(existing.length + index), position, created };
    });
    for (const record of stored) this.boundaries.add(record.position);
    existing.push(...stored);
    this.streams.set(stream, existing);
    this.all.push(...stored);
    for (const record of stored) for (const listener of this.listeners) listener(record);
    const last = existing[existing.length - 1];
    return { ok: true, currentRevision: last.revision, position: last.position };
  }

  /** `undefined` when the stream does not exist (the server answers `stream_not_found`). */
  readStream(stream: string, from: bigint | 'start' | 'end', direction: 'forwards' | 'backwards', count: bigint): LogRecord[] | undefined {
    const records = this.streams.get(stream);
    if (!records) return undefined;
    const limit = Number(count < BigInt(Number.MAX_SAFE_INTEGER) ? count : BigInt(Number.MAX_SAFE_INTEGER));
    if (direction === 'forwards') {
      const start = from === 'start' ? 0 : from === 'end' ? records.length : Number(from);
      return records.slice(start, start + limit);
    }
    const start = from === 'end' || from === 'start' ? (from === 'end' ? records.length - 1 : 0) : Math.min(Number(from), records.length - 1);
    return records.slice(Math.max(0, start - limit + 1), start + 1).reverse();
  }

  /** `$all` forwards from a position; `inclusive` because a read starts at it and a subscription after it. */
  readAll(from: bigint | 'start' | 'end', inclusive: boolean): LogRecord[] {
    if (from === 'start') return [...this.all];
    if (from === 'end') return [];
    return this.all.filter((record) => (inclusive ? record.position >= from : record.position > from));
  }

  /**
   * A server reads its log from record boundaries only: from any other offset inside the log it
   * reads a length prefix out of the middle of a record and fails the read. At or past the end
   * there is simply nothing to read.
   */
  isReadableFrom(position: bigint): boolean {
    return position >= this.nextPosition || this.boundaries.has(position);
  }

  /** `$all` backwards: at most `count` events that start before `from`, newest first. */
  readAllBackwards(from: bigint | 'end', count: bigint): LogRecord[] {
    const before = from === 'end' ? this.all : this.all.filter((record) => record.position < from);
    return before.slice(Math.max(0, before.length - Number(count))).reverse();
  }

  /** Calls `listener` for each event appended from now on; returns the unsubscribe function. */
  follow(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Test hook: rewrites a stored event in place, as an attacker with disk access could. */
  tamper(stream: string, revision: number, mutate: (record: LogRecord) => void): void {
    const record = this.streams.get(stream)?.[revision];
    if (!record) throw new Error(`stand-in: no event ${stream}@${revision} to tamper with`);
    mutate(record);
  }
}
