import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@cadre-ledger/platform';
import { GENESIS_HASH, type EventStore, type HashAlgorithm, type StoredEvent } from '@cadre-ledger/event-store';
import { Frontier, consistencyRanges, emptyRoot, inclusionRanges, leafHash, rangeHash, rangeRefs, type Hash, type NodeRef, type Range } from './merkle';
import { signHead, type SigningKey, type TreeHead } from './signing';

/** What a leaf commits to: the event's chain hash (its writer's fields) and what the store assigned. */
export interface LeafContent {
  globalPosition: number;
  recordedAt: string;
  hashFormat: string;
  hash: string;
}

/** The leaf input, unambiguous: four lines. */
export const leafInput = (e: LeafContent): string => `${e.globalPosition}\n${e.recordedAt}\n${e.hashFormat}\n${e.hash}`;
export const leafOf = (algorithm: HashAlgorithm, e: LeafContent): Hash => leafHash(algorithm, leafInput(e));

export interface InclusionProof {
  head: TreeHead;
  leafIndex: number;
  /** The event the leaf is, as stored: its chain hash covers its fields, the leaf its hash and the store's. */
  event: StoredEvent;
  /** Hashes from the leaf's sibling up to the root's child (RFC 9162 2.1.3). */
  path: Hash[];
}

export interface ConsistencyProof {
  from: TreeHead;
  to: TreeHead;
  proof: Hash[];
}

const LOG_LOCK = 'cadre-ledger:transparency-log';
const PAGE = 2000;
/**
 * The log's size and last position, from the two indexes' ends (leaf indexes run 0, 1, 2, … under
 * the builder's lock): constant time, where count(*) would read every leaf on every page.
 */
const LOG_SIZE = 'SELECT coalesce(max(idx) + 1, 0) AS size, max(global_position) AS last FROM ledger_log_leaves';

type Queryable = Pick<Pool, 'query'> | Pick<PoolClient, 'query'>;

/**
 * The ledger-wide log: every event, in global order, as a leaf of a Merkle tree (merkle.ts), built
 * after the commit from what the store holds (so it covers recordedAt and the global position,
 * which EventStoreDB assigns on write), and signed tree heads over it. One builder at a time per
 * database (an advisory lock); a second process waits its turn and finds the work done.
 */
export class TransparencyLog {
  private frontier: Frontier | null = null;
  private lastPosition = 0;

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    readonly algorithm: HashAlgorithm,
  ) {}

  /** The last position this builder took in (a lower bound of the log's). */
  get takenUpTo(): number {
    return this.lastPosition;
  }

  /** Global position of the last event in the log (0 when empty). */
  async position(): Promise<number> {
    const { rows } = await this.pool.query<{ last: string | null }>('SELECT max(global_position) AS last FROM ledger_log_leaves');
    return rows[0].last === null ? 0 : Number(rows[0].last);
  }

  /** Appends the leaves of every stored event not yet in the log; answers how many. */
  async catchUp(): Promise<number> {
    let added = 0;
    for (;;) {
      const n = await inTransaction(this.pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOG_LOCK]);
        const frontier = await this.loadedFrontier(client);
        const events = await this.store.readAll({ fromPosition: this.lastPosition, limit: PAGE });
        if (events.length === 0) return 0;
        const leaves: unknown[][] = [[], [], [], [], []];
        const nodes: unknown[][] = [[], [], []];
        for (const event of events) {
          const index = frontier.treeSize;
          for (const node of frontier.append(leafOf(this.algorithm, event))) {
            nodes[0].push(node.level);
            nodes[1].push(node.index);
            nodes[2].push(node.hash);
          }
          leaves[0].push(index);
          leaves[1].push(event.globalPosition);
          leaves[2].push(event.eventId);
          leaves[3].push(event.stream);
          leaves[4].push(event.revision);
        }
        await client.query(
          'INSERT INTO ledger_log_leaves (idx, global_position, event_id, stream, revision) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::bigint[])',
          leaves,
        );
        await client.query('INSERT INTO ledger_log_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::text[])', nodes);
        this.lastPosition = events[events.length - 1].globalPosition;
        return events.length;
      }).catch((error: unknown) => {
        this.frontier = null; // whatever happened, read the log's state again next time
        throw error;
      });
      added += n;
      if (n < PAGE) return added;
    }
  }

  /** The frontier as the database has it (another builder may have moved it). */
  private async loadedFrontier(client: PoolClient): Promise<Frontier> {
    const { rows } = await client.query<{ size: string; last: string | null }>(LOG_SIZE);
    const size = Number(rows[0].size);
    if (this.frontier && this.frontier.treeSize === size) return this.frontier;
    const refs = size === 0 ? [] : rangeRefs(0, size);
    const nodes = await fetchNodes(client, refs);
    this.frontier = Frontier.of(this.algorithm, size, (ref) => nodes(ref));
    this.lastPosition = rows[0].last === null ? 0 : Number(rows[0].last);
    return this.frontier;
  }

  /** Signs a head for the tree as it stands, when it grew since the last head; answers it. */
  async signHead(key: SigningKey, now: () => Date = () => new Date()): Promise<TreeHead | null> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [LOG_LOCK]);
      const { rows } = await client.query<{ size: string; last: string | null }>(LOG_SIZE);
      const size = Number(rows[0].size);
      const latest = await latestHead(client);
      if (latest && latest.treeSize >= size) return null;
      const root = size === 0 ? emptyRoot(this.algorithm) : rangeHash(this.algorithm, rangeRefs(0, size), await fetchNodes(client, rangeRefs(0, size)));
      // The head also commits to the read audit's last record, so that deleting its tail shows.
      const access = await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM ledger_access_log ORDER BY seq DESC LIMIT 1');
      const head = signHead(
        {
          treeSize: size,
          rootHash: root,
          lastPosition: rows[0].last === null ? 0 : Number(rows[0].last),
          hashAlgorithm: this.algorithm,
          signedAt: now().toISOString(),
          accessSeq: access.rows.length === 0 ? 0 : Number(access.rows[0].seq),
          accessHash: access.rows[0]?.hash ?? GENESIS_HASH,
        },
        key,
      );
      await client.query(
        'INSERT INTO ledger_tree_heads (tree_size, root_hash, last_position, hash_algorithm, signed_at, key_id, access_seq, access_hash, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [head.treeSize, head.rootHash, head.lastPosition, head.hashAlgorithm, head.signedAt, head.keyId, head.accessSeq, head.accessHash, head.signature],
      );
      return head;
    });
  }
}

/** The nodes of these refs, as a lookup that throws for one the log does not hold. */
export async function fetchNodes(db: Queryable, refs: readonly NodeRef[]): Promise<(ref: NodeRef) => Hash> {
  const found = new Map<string, Hash>();
  if (refs.length > 0) {
    const { rows } = await db.query<{ level: number; idx: string; hash: string }>(
      'SELECT n.level, n.idx, n.hash FROM ledger_log_nodes n JOIN unnest($1::smallint[], $2::bigint[]) AS r(level, idx) ON n.level = r.level AND n.idx = r.idx',
      [refs.map((r) => r.level), refs.map((r) => r.index)],
    );
    for (const row of rows) found.set(`${row.level}/${row.idx}`, row.hash);
  }
  return (ref) => {
    const hash = found.get(`${ref.level}/${ref.index}`);
    if (hash === undefined) throw new LogIncomplete(`the log holds no subtree ${ref.level}/${ref.index}`);
    return hash;
  };
}

/** The log's tables lack what a proof or a root needs: they were altered, or the log is behind. */
export class LogIncomplete extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogIncomplete';
  }
}

interface HeadRow {
  tree_size: string;
  root_hash: string;
  last_position: string;
  hash_algorithm: string;
  signed_at: string;
  key_id: string;
  access_seq: string;
  access_hash: string;
  signature: string;
}

const toHead = (r: HeadRow): TreeHead => ({
  log: 'cadre-ledger',
  treeSize: Number(r.tree_size),
  rootHash: r.root_hash,
  lastPosition: Number(r.last_position),
  hashAlgorithm: r.hash_algorithm as HashAlgorithm,
  signedAt: r.signed_at,
  keyId: r.key_id,
  accessSeq: Number(r.access_seq),
  accessHash: r.access_hash,
  signature: r.signature,
});

export async function latestHead(db: Queryable): Promise<TreeHead | null> {
  const { rows } = await db.query<HeadRow>('SELECT * FROM ledger_tree_heads ORDER BY tree_size DESC LIMIT 1');
  return rows.length === 0 ? null : toHead(rows[0]);
}

export async function headOfSize(db: Queryable, treeSize: number): Promise<TreeHead | null> {
  const { rows } = await db.query<HeadRow>('SELECT * FROM ledger_tree_heads WHERE tree_size = $1', [treeSize]);
  return rows.length === 0 ? null : toHead(rows[0]);
}

/** Every signed head, smallest tree first. */
export async function allHeads(db: Queryable): Promise<TreeHead[]> {
  const { rows } = await db.query<HeadRow>('SELECT * FROM ledger_tree_heads ORDER BY tree_size');
  return rows.map(toHead);
}

const rangeHashes = async (db: Queryable, algorithm: HashAlgorithm, ranges: Range[]): Promise<Hash[]> => {
  const refs = ranges.map((r) => rangeRefs(r.start, r.end));
  const nodes = await fetchNodes(db, refs.flat());
  return refs.map((r) => rangeHash(algorithm, r, nodes));
};

/** The proof that an event is in the tree of a signed head (the latest, or the one of `treeSize`). */
export async function inclusionProof(
  db: Queryable,
  store: EventStore,
  eventId: string,
  treeSize?: number,
  /** Whether the caller may see this stream's events: one they may not is answered as no such event. */
  visible: (stream: string) => Promise<boolean> = async () => true,
): Promise<InclusionProof | 'no-such-event' | 'no-such-head' | 'not-yet-covered'> {
  const head = treeSize === undefined ? await latestHead(db) : await headOfSize(db, treeSize);
  if (!head) return 'no-such-head';
  const { rows } = await db.query<{ idx: string; global_position: string; event_id: string; stream: string; revision: string }>(
    'SELECT idx, global_position, event_id, stream, revision FROM ledger_log_leaves WHERE event_id = $1',
    [eventId],
  );
  if (rows.length === 0 || !(await visible(rows[0].stream))) return 'no-such-event';
  const index = Number(rows[0].idx);
  if (index >= head.treeSize) return 'not-yet-covered';
  const [event] = await store.readStream(rows[0].stream, { fromRevision: Number(rows[0].revision) });
  if (!event || event.eventId !== eventId) return 'no-such-event';
  const path = await rangeHashes(db, head.hashAlgorithm, inclusionRanges(index, head.treeSize));
  return { head, leafIndex: index, event, path };
}

/** The proof that the tree of head `from` is a prefix of the tree of head `to`. */
export async function consistencyProof(db: Queryable, from: number, to: number): Promise<ConsistencyProof | 'no-such-head'> {
  const [a, b] = [await headOfSize(db, from), await headOfSize(db, to)];
  if (!a || !b || from > to) return 'no-such-head';
  return { from: a, to: b, proof: await consistencyPath(db, b.hashAlgorithm, from, to) };
}


/** PROOF(from, D[0:to]) from the stored subtrees, whether or not heads were signed at those sizes (a witness asks from its own last size). */
export async function consistencyPath(db: Queryable, algorithm: HashAlgorithm, from: number, to: number): Promise<Hash[]> {
  return rangeHashes(db, algorithm, consistencyRanges(from, to));
}
