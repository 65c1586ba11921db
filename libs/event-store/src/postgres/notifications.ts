import { Client } from 'pg';

/** The channel appends are announced on; NOTIFY is per database, so each ledger database has its own. */
export const EVENTS_CHANNEL = 'ledger_events';

/**
 * Announces committed appends, after commit and off the append's path.
 *
 * Why not NOTIFY inside the append's transaction: PostgreSQL serialises committing transactions
 * that have notifications pending with one cluster-wide lock, held until their commit record is
 * flushed, which would turn concurrent appends into one-at-a-time fsyncs. Announcing afterwards
 * costs listeners nothing they rely on: a notification only tells them to read, the data comes
 * from the table. Announcements are coalesced (one in flight; the next carries the highest
 * position seen meanwhile) and sent with synchronous_commit off, since they carry no data. If the
 * process dies between commit and announcement, listeners still find the event on their safety poll.
 */
export class CommitAnnouncer {
  private pending: number | undefined;
  private inFlight: Promise<void> | undefined;
  private client: Client | undefined;
  private closed = false;

  constructor(private readonly connectionString: string) {}

  announce(position: number): void {
    if (this.closed) return;
    this.pending = Math.max(this.pending ?? 0, position);
    if (!this.inFlight) this.inFlight = this.flush();
  }

  /** Sends what is pending, then closes the announcing connection. */
  async close(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    this.closed = true;
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private async flush(): Promise<void> {
    while (this.pending !== undefined) {
      const position = this.pending;
      this.pending = undefined;
      try {
        const client = await this.connection();
        // A literal in the simple protocol: one message, nothing to parse twice. Positions are integers.
        await client.query(`NOTIFY ${EVENTS_CHANNEL}, '${Math.trunc(position)}'`);
      } catch {
        // Listeners fall back on their safety poll; an append must not fail because of this.
        await this.client?.end().catch(() => undefined);
        this.client = undefined;
      }
    }
    this.inFlight = undefined;
  }

  /** Its own connection, not the pool's: announcing never waits for (or delays) an append. */
  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({ connectionString: this.connectionString, options: '-c synchronous_commit=off' });
    client.on('error', () => {
      if (this.client === client) this.client = undefined;
    });
    await client.connect();
    this.client = client;
    return client;
  }
}

/**
 * One LISTEN connection per store, shared by its subscriptions. Keeps the highest announced
 * position and a generation counter, so a subscription can tell "announced while I was reading"
 * from "nothing new" without missing a wake-up.
 */
export class CommitListener {
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private readonly waiters = new Set<() => void>();
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;
  generation = 0;
  highestAnnounced = 0;

  constructor(private readonly connectionString: string) {}

  /** Starts listening if not yet; resolves once LISTEN is in place (or failed: safety polls cover). */
  ensureListening(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /** Resolves on the next announcement, after `timeoutMs`, or on close. Returns a canceller too. */
  wait(timeoutMs: number): { promise: Promise<void>; cancel(): void } {
    let done!: () => void;
    const promise = new Promise<void>((resolve) => (done = resolve));
    const timer = setTimeout(() => cancel(), timeoutMs);
    const cancel = () => {
      clearTimeout(timer);
      this.waiters.delete(cancel);
      done();
    };
    this.waiters.add(cancel);
    return { promise, cancel };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.wakeAll();
    const client = this.client;
    this.client = undefined;
    await this.connecting?.catch(() => undefined);
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.connectionString });
    client.on('notification', (message) => {
      const position = Number(message.payload);
      if (Number.isFinite(position)) this.highestAnnounced = Math.max(this.highestAnnounced, position);
      this.generation += 1;
      this.wakeAll();
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.client = client;
      // Anything committed while we were not listening: let subscriptions re-read.
      this.generation += 1;
      this.wakeAll();
    } catch {
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  private lost(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.ensureListening();
    }, 1000);
    this.reconnectTimer.unref();
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
