import type { Pool } from 'pg';
import canonicalize from 'canonicalize';
import { GENESIS_HASH, digestHex, type HashAlgorithm } from '@cadre-ledger/event-store';
import { inTransaction } from '@cadre-ledger/platform';

/** What was read (API.md, "Read audit"); `list`: a list naming the cadre (the queues of locks, triggers and cases). */
export const ACCESS_KINDS = ['profile', 'eligibility', 'history', 'dossier', 'export', 'replay', 'list'] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

export interface AccessRequest {
  actor: string;
  cadreId: string;
  what: AccessKind;
  /** The route (`GET /v1/cadres/:cadreId/history`) or CLI command (`ledger replay`). */
  via: string;
}

export interface AccessRecord extends AccessRequest {
  seq: number;
  /** When it was recorded: the database clock, RFC 3339 UTC. */
  at: string;
  prevHash: string;
  hash: string;
}

const ACCESS_LOCK = 'cadre-ledger:access-log';
const DOMAIN = 'cadre-ledger.access.v1\u0000';

/** The hash of one access record, chained on the one before (the same construction as the events'). */
export function accessHash(algorithm: HashAlgorithm, prevHash: string, record: Omit<AccessRecord, 'prevHash' | 'hash'>): string {
  const { seq, at, actor, cadreId, what, via } = record;
  return digestHex(algorithm, DOMAIN, prevHash, canonicalize({ seq, at, actor, cadreId, what, via }) ?? '');
}

/**
 * The read audit: every read of a cadre's personal data is recorded, append-only and hash-chained,
 * before the read answers. Concurrent reads share a commit (group commit): a record waits at most
 * for the flush in flight, then goes with everything that arrived meanwhile in one transaction.
 * A record that cannot be stored rejects, and the read fails with it (503).
 */
export class AccessLog {
  private queue: { request: AccessRequest; done: (error?: unknown) => void }[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly algorithm: HashAlgorithm,
  ) {}

  /** Records the reads; resolves once they are durable. */
  record(requests: readonly AccessRequest[]): Promise<void> {
    if (requests.length === 0) return Promise.resolve();
    const written = Promise.all(requests.map((request) => new Promise<void>((resolve, reject) => this.queue.push({ request, done: (e) => (e ? reject(e) : resolve()) }))));
    if (!this.flushing) this.flushing = this.flushLoop();
    return written.then(() => undefined);
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.write(batch.map((b) => b.request));
        batch.forEach((b) => b.done());
      } catch (error) {
        batch.forEach((b) => b.done(error));
      }
    }
    this.flushing = null;
  }

  private async write(requests: AccessRequest[]): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [ACCESS_LOCK]);
      const { rows } = await client.query<{ seq: string; hash: string; now: string }>(
        `SELECT coalesce((SELECT seq FROM ledger_access_log ORDER BY seq DESC LIMIT 1), 0) AS seq,
                coalesce((SELECT hash FROM ledger_access_log ORDER BY seq DESC LIMIT 1), $1) AS hash,
                to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now`,
        [GENESIS_HASH],
      );
      let seq = Number(rows[0].seq);
      let prevHash = rows[0].hash;
      const at = rows[0].now;
      const records: AccessRecord[] = requests.map((request) => {
        seq += 1;
        const base = { seq, at, ...request };
        const hash = accessHash(this.algorithm, prevHash, base);
        const record = { ...base, prevHash, hash };
        prevHash = hash;
        return record;
      });
      await client.query(
        `INSERT INTO ledger_access_log (seq, at, actor, cadre_id, what, via, prev_hash, hash)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`,
        [
          records.map((r) => r.seq),
          records.map((r) => r.at),
          records.map((r) => r.actor),
          records.map((r) => r.cadreId),
          records.map((r) => r.what),
          records.map((r) => r.via),
          records.map((r) => r.prevHash),
          records.map((r) => r.hash),
        ],
      );
    });
  }
}

export interface AccessQuery {
  cadreId?: string;
  actor?: string;
  /** Inclusive, RFC 3339. */
  from?: string;
  /** Exclusive, RFC 3339. */
  to?: string;
  /** The last `seq` of the previous page. */
  after?: number;
  limit: number;
  /** Only the records of cadres who stand in these units today (the directory read model); absent: every record. */
  units?: readonly string[];
}

interface AccessRow {
  seq: string;
  at: string;
  actor: string;
  cadre_id: string;
  what: AccessKind;
  via: string;
  prev_hash: string;
  hash: string;
}

const toRecord = (r: AccessRow): AccessRecord => ({ seq: Number(r.seq), at: r.at, actor: r.actor, cadreId: r.cadre_id, what: r.what, via: r.via, prevHash: r.prev_hash, hash: r.hash });

/** Access records, newest last, a page at a time. */
export async function listAccess(pool: Pool, query: AccessQuery): Promise<{ items: AccessRecord[]; next: number | null }> {
  const { rows } = await pool.query<AccessRow>(
    `SELECT * FROM ledger_access_log
     WHERE ($1::text IS NULL OR cadre_id = $1) AND ($2::text IS NULL OR actor = $2)
       AND ($3::timestamptz IS NULL OR at::timestamptz >= $3) AND ($4::timestamptz IS NULL OR at::timestamptz < $4)
       AND seq > $5
       ${query.units ? 'AND cadre_id IN (SELECT cadre_id FROM reporting.cadres WHERE unit_id = ANY($7))' : ''}
     ORDER BY seq LIMIT $6`,
    [query.cadreId ?? null, query.actor ?? null, query.from ?? null, query.to ?? null, query.after ?? 0, query.limit + 1, ...(query.units ? [[...query.units]] : [])],
  );
  const page = rows.slice(0, query.limit).map(toRecord);
  return { items: page, next: rows.length > query.limit ? page[page.length - 1].seq : null };
}

/**
 * Recomputes the access log's chain; names the first record that does not match. `signed` are the
 * (accessSeq, accessHash) pairs signed heads committed to: a log rewritten and chained again from
 * some record on (no key needed for that) no longer has the hash a head signed at that record.
 */
export async function verifyAccessLog(
  pool: Pool,
  algorithm: HashAlgorithm,
  signed: readonly { accessSeq: number; accessHash: string }[] = [],
): Promise<{ ok: boolean; records: number; brokenAt?: { seq: number; what: 'chain' | 'signed-hash' } }> {
  const signedAt = new Map<number, Set<string>>();
  for (const { accessSeq, accessHash } of signed) if (accessSeq > 0) signedAt.set(accessSeq, (signedAt.get(accessSeq) ?? new Set()).add(accessHash));
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let records = 0;
  for (let after = 0; ; ) {
    const { rows } = await pool.query<AccessRow>('SELECT * FROM ledger_access_log WHERE seq > $1 ORDER BY seq LIMIT 5000', [after]);
    for (const row of rows) {
      const record = toRecord(row);
      records += 1;
      if (record.seq !== expectedSeq || record.prevHash !== prevHash || record.hash !== accessHash(algorithm, prevHash, record)) {
        return { ok: false, records, brokenAt: { seq: record.seq, what: 'chain' } };
      }
      const hashes = signedAt.get(record.seq);
      if (hashes && (hashes.size > 1 || !hashes.has(record.hash))) return { ok: false, records, brokenAt: { seq: record.seq, what: 'signed-hash' } };
      prevHash = record.hash;
      expectedSeq += 1;
    }
    if (rows.length < 5000) return { ok: true, records };
    after = Number(rows[rows.length - 1].seq);
  }
}
