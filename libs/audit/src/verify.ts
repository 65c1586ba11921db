import type { KeyObject } from 'node:crypto';
import type { Pool } from 'pg';
import { GENESIS_HASH, chainHash, isHashFormat, type EventStore, type HashAlgorithm, type StoredEvent } from '@cadre-ledger/event-store';
import { verifyAccessLog } from './access-log';
import { allHeads, consistencyProof, latestHead, leafOf } from './log';
import { Frontier, verifyConsistency } from './merkle';
import { verifyHead, type TreeHead } from './signing';

/** One thing found wrong, naming the event (or the head, or the access record) it concerns. */
export interface Finding {
  kind:
    | 'chain-broken' // a writer's field, prevHash or hash changed; or a revision missing in a stream
    | 'leaf-altered' // recordedAt, the position, the hash format or the hash differs from the log's leaf
    | 'event-deleted' // the log has a leaf for an event the store no longer holds
    | 'event-inserted' // the store holds an event the log never took in, before the log's end
    | 'head-mismatch' // a signed head's root is not the root of the events as they are
    | 'head-signature' // a head is not signed by the public key
    | 'digest-mismatch' // the saved head does not match the events as they are
    | 'access-log-broken' // the read audit's chain, or its tail signed in a head
    | 'witness-mismatch' // the events as stored do not have the root the witnesses cosigned at that size
    | 'unwitnessed'; // a witness policy was given, and no checkpoint meets it
  stream?: string;
  revision?: number;
  eventId?: string;
  globalPosition?: number;
  treeSize?: number;
  detail: string;
}

export interface LedgerVerification {
  ok: boolean;
  mode: 'full' | 'incremental';
  events: number;
  streams: number;
  /** Events by hash format: both formats of a store migrated once show here. */
  formats: Record<string, number>;
  findings: Finding[];
  /** The newest signed head, if any. */
  newestHead: TreeHead | null;
  headsChecked: number;
  /** Events after the newest head: stored, but no signed head covers them yet. */
  uncovered: number;
  /** Whether heads' signatures were checked (a public key was given). */
  signaturesChecked: boolean;
  accessRecords: number;
}

export interface VerifyOptions {
  store: EventStore;
  /** The database of the log and the read audit. */
  pool: Pool;
  /** The trust anchor: the public key of the signing key, held outside the database. */
  publicKey?: KeyObject;
  /** Heads saved earlier, outside the database (`ledger digest`, a heads file): nothing they cover may have changed since. */
  digests?: readonly TreeHead[];
  /** Checkpoints a witness policy accepts (checkCheckpoint): nothing the witnesses cosigned may have changed since. */
  witnessed?: readonly WitnessedRoot[];
  /** Called every page, with the events checked so far. */
  onProgress?: (events: number) => void;
  /** Stop collecting findings beyond this many (the count goes on). Default 1,000. */
  maxFindings?: number;
}

const PAGE = 1000;

/** A tree size and root a quorum of witnesses cosigned, and who. */
export interface WitnessedRoot {
  treeSize: number;
  rootHash: string;
  by: string;
}

interface LeafRow {
  idx: number;
  globalPosition: number;
  eventId: string;
  stream: string;
  revision: number;
  hash: string;
}

/** The stored leaves, in order, a page at a time. */
class StoredLeaves {
  private page: LeafRow[] = [];
  private at = 0;
  private nextIdx = 0;
  private done = false;

  constructor(private readonly pool: Pool) {}

  async peek(): Promise<LeafRow | undefined> {
    if (this.at < this.page.length) return this.page[this.at];
    if (this.done) return undefined;
    const { rows } = await this.pool.query<{ idx: string; global_position: string; event_id: string; stream: string; revision: string; hash: string }>(
      `SELECT l.idx, l.global_position, l.event_id, l.stream, l.revision, n.hash FROM ledger_log_leaves l
       LEFT JOIN ledger_log_nodes n ON n.level = 0 AND n.idx = l.idx
       WHERE l.idx >= $1 ORDER BY l.idx LIMIT $2`,
      [this.nextIdx, PAGE],
    );
    this.page = rows.map((r) => ({ idx: Number(r.idx), globalPosition: Number(r.global_position), eventId: r.event_id, stream: r.stream, revision: Number(r.revision), hash: r.hash }));
    this.at = 0;
    if (rows.length < PAGE) this.done = true;
    if (this.page.length > 0) this.nextIdx = this.page[this.page.length - 1].idx + 1;
    return this.page[0];
  }

  async next(): Promise<LeafRow | undefined> {
    const leaf = await this.peek();
    this.at += 1;
    return leaf;
  }
}

/**
 * The full verification: every event of every stream re-hashed (its chain), every leaf recomputed
 * from the events as stored (so recordedAt and positions are checked) and compared with the log,
 * every signed head's root recomputed, every signature checked against the public key, a saved
 * head (the auditor's) checked against the events, and the read audit's chain. One pass over the
 * global order; memory bounded by the number of streams.
 */
export async function verifyLedger(options: VerifyOptions): Promise<LedgerVerification> {
  const { store, pool, publicKey } = options;
  const digests = options.digests ?? [];
  const algorithm: HashAlgorithm = store.hashAlgorithm;
  const maxFindings = options.maxFindings ?? 1000;
  const findings: Finding[] = [];
  let findingCount = 0;
  const found = (finding: Finding) => {
    findingCount += 1;
    if (findings.length < maxFindings) findings.push(finding);
  };
  const heads = await allHeads(pool);
  const newestHead = heads[heads.length - 1] ?? null;
  if (publicKey) {
    for (const head of heads) if (!verifyHead(head, publicKey)) found({ kind: 'head-signature', treeSize: head.treeSize, detail: `the head of tree size ${head.treeSize} is not signed by the given key (${head.keyId})` });
    for (const digest of digests) {
      if (!verifyHead(digest, publicKey)) found({ kind: 'head-signature', treeSize: digest.treeSize, detail: `the saved head of tree size ${digest.treeSize} is not signed by the given key` });
    }
  }
  const checkpoints = new Map<number, { root: string; what: 'head' | 'digest' | 'witnessed'; by?: string }[]>();
  const compareAt = (treeSize: number, root: string, what: 'head' | 'digest' | 'witnessed', by?: string) => checkpoints.set(treeSize, [...(checkpoints.get(treeSize) ?? []), { root, what, by }]);
  for (const head of heads) compareAt(head.treeSize, head.rootHash, 'head');
  for (const digest of digests) compareAt(digest.treeSize, digest.rootHash, 'digest');
  for (const witnessed of options.witnessed ?? []) compareAt(witnessed.treeSize, witnessed.rootHash, 'witnessed', witnessed.by);

  const streamHeads = new Map<string, { revision: number; hash: string } | 'broken'>();
  const formats: Record<string, number> = {};
  const leaves = new StoredLeaves(pool);
  const frontier = Frontier.empty(algorithm);
  const checkRoot = () => {
    for (const checkpoint of checkpoints.get(frontier.treeSize) ?? []) {
      if (frontier.root() === checkpoint.root) continue;
      found(
        checkpoint.what === 'digest'
          ? { kind: 'digest-mismatch', treeSize: frontier.treeSize, detail: `the first ${frontier.treeSize} events as stored now do not have the saved head's root: something it covers was changed, removed, reordered or inserted` }
          : checkpoint.what === 'witnessed'
            ? { kind: 'witness-mismatch', treeSize: frontier.treeSize, detail: `the first ${frontier.treeSize} events as stored now do not have the root the witnesses (${checkpoint.by}) cosigned at tree size ${frontier.treeSize}: what they witnessed was rewritten since` }
            : { kind: 'head-mismatch', treeSize: frontier.treeSize, detail: `the first ${frontier.treeSize} events as stored now do not have the root signed for that size` },
      );
    }
  };
  checkRoot(); // the empty tree
  let events = 0;
  const chain = (event: StoredEvent) => {
    formats[event.hashFormat] = (formats[event.hashFormat] ?? 0) + 1;
    const head = streamHeads.get(event.stream);
    if (head === 'broken') return;
    const expectedRevision = head ? head.revision + 1 : 0;
    const prevHash = head ? head.hash : GENESIS_HASH;
    let detail: string | undefined;
    if (event.revision !== expectedRevision) detail = `revision ${expectedRevision} of ${event.stream} is missing (removed, or the revision was changed)`;
    else if (event.prevHash !== prevHash) detail = 'prevHash does not match the event before it';
    else if (!isHashFormat(event.hashFormat)) detail = `unknown hash format ${JSON.stringify(event.hashFormat)}`;
    else if (event.hash !== chainHash(prevHash, event, event.hashFormat)) detail = 'a field the writer set (type, data, dates, actor, 文号, ids) does not match the event\'s hash';
    if (detail) {
      found({ kind: 'chain-broken', stream: event.stream, revision: event.revision, eventId: event.eventId, globalPosition: event.globalPosition, detail });
      streamHeads.set(event.stream, 'broken');
    } else {
      streamHeads.set(event.stream, { revision: event.revision, hash: event.hash });
    }
  };
  const logEnd = newestHead?.lastPosition ?? 0;
  const addLeaf = (event: StoredEvent) => {
    frontier.append(leafOf(algorithm, event));
    checkRoot();
  };
  for (let from = 0; ; ) {
    const page = await store.readAll({ fromPosition: from, limit: PAGE });
    for (const event of page) {
      events += 1;
      chain(event);
      // Leaves the log holds for positions before this event: events removed since.
      for (let leaf = await leaves.peek(); leaf && leaf.globalPosition < event.globalPosition; leaf = await leaves.peek()) {
        await leaves.next();
        found({ kind: 'event-deleted', stream: leaf.stream, revision: leaf.revision, eventId: leaf.eventId, globalPosition: leaf.globalPosition, detail: `the log took in this event (leaf ${leaf.idx}), the store no longer holds it` });
      }
      const leaf = await leaves.peek();
      if (leaf && leaf.globalPosition === event.globalPosition) {
        await leaves.next();
        if (leaf.eventId !== event.eventId || leaf.hash !== leafOf(algorithm, event)) {
          found({ kind: 'leaf-altered', stream: event.stream, revision: event.revision, eventId: event.eventId, globalPosition: event.globalPosition, detail: `recordedAt, position or hash differs from what the log took in (leaf ${leaf.idx})` });
        }
      } else if (event.globalPosition <= logEnd) {
        found({ kind: 'event-inserted', stream: event.stream, revision: event.revision, eventId: event.eventId, globalPosition: event.globalPosition, detail: 'the store holds this event at a position the log passed without it' });
      }
      addLeaf(event);
    }
    options.onProgress?.(events);
    if (page.length < PAGE) break;
    from = page[page.length - 1].globalPosition;
  }
  for (let leaf = await leaves.next(); leaf; leaf = await leaves.next()) {
    found({ kind: 'event-deleted', stream: leaf.stream, revision: leaf.revision, eventId: leaf.eventId, globalPosition: leaf.globalPosition, detail: `the log took in this event (leaf ${leaf.idx}), the store no longer holds it` });
  }
  for (const size of [...checkpoints.keys()].filter((s) => s > frontier.treeSize)) {
    for (const checkpoint of checkpoints.get(size)!) {
      if (checkpoint.what === 'witnessed') {
        found({ kind: 'witness-mismatch', treeSize: size, detail: `the witnesses (${checkpoint.by}) cosigned a tree of ${size} events; the store holds ${frontier.treeSize}: events were removed` });
        continue;
      }
      found({ kind: checkpoint.what === 'digest' ? 'digest-mismatch' : 'head-mismatch', treeSize: size, detail: `the ${checkpoint.what === 'digest' ? 'saved' : 'signed'} head covers ${size} events; the store holds ${frontier.treeSize}: events were removed` });
    }
  }
  const access = await verifyAccessLog(pool, algorithm, [...heads, ...digests]);
  if (!access.ok) {
    const at = access.brokenAt!;
    found({ kind: 'access-log-broken', detail: at.what === 'chain' ? `the read audit's chain breaks at record ${at.seq}` : `record ${at.seq} of the read audit is not the one a signed head committed to: rewritten since` });
  }
  const accessCovered = Math.max(newestHead?.accessSeq ?? 0, ...digests.map((d) => d.accessSeq));
  if (accessCovered > access.records) {
    found({ kind: 'access-log-broken', detail: `a signed head covers ${accessCovered} access records; ${access.records} remain: records were removed` });
  }
  const uncovered = Math.max(0, events - (newestHead?.treeSize ?? 0));
  return {
    ok: findingCount === 0,
    mode: 'full',
    events,
    streams: streamHeads.size,
    formats,
    findings,
    newestHead,
    headsChecked: heads.length,
    uncovered,
    signaturesChecked: publicKey !== undefined,
    accessRecords: access.records,
  };
}

/**
 * The incremental verification (what `/v1/audit/verify` runs by default): from the last head a
 * verification found sound, the newest head must be signed and consistent with it (a consistency
 * proof from the log), and only the events after it are re-hashed and compared with their leaves.
 * Old events are the full verification's business (`ledger verify`). The sound head is recorded.
 */
export async function verifyIncrementally(options: Omit<VerifyOptions, 'digests'>): Promise<LedgerVerification> {
  const { store, pool, publicKey } = options;
  const algorithm = store.hashAlgorithm;
  const findings: Finding[] = [];
  const { rows } = await pool.query<{ tree_size: string; root_hash: string; last_position: string }>('SELECT tree_size, root_hash, last_position FROM ledger_verifications ORDER BY tree_size DESC LIMIT 1');
  const from = rows[0] ? { treeSize: Number(rows[0].tree_size), rootHash: rows[0].root_hash, lastPosition: Number(rows[0].last_position) } : { treeSize: 0, rootHash: '', lastPosition: 0 };
  const newest = await latestHead(pool);
  if (newest && publicKey && !verifyHead(newest, publicKey)) findings.push({ kind: 'head-signature', treeSize: newest.treeSize, detail: 'the newest head is not signed by the given key' });
  if (newest && from.treeSize > 0) {
    const proof = await consistencyProof(pool, from.treeSize, newest.treeSize);
    if (proof === 'no-such-head' || !verifyConsistency(algorithm, from.treeSize, newest.treeSize, from.rootHash, newest.rootHash, proof.proof)) {
      findings.push({ kind: 'head-mismatch', treeSize: newest.treeSize, detail: `the log of ${newest.treeSize} events does not extend the one verified at ${from.treeSize}` });
    }
  }
  // The events since: each chains onto the one before it in its stream, and is the leaf the log took in.
  const leaves = new Map<number, { hash: string; idx: number }>();
  const leafRows = await pool.query<{ idx: string; global_position: string; hash: string }>(
    'SELECT l.idx, l.global_position, n.hash FROM ledger_log_leaves l JOIN ledger_log_nodes n ON n.level = 0 AND n.idx = l.idx WHERE l.idx >= $1 ORDER BY l.idx',
    [from.treeSize],
  );
  for (const r of leafRows.rows) leaves.set(Number(r.global_position), { hash: r.hash, idx: Number(r.idx) });
  const lastHash = new Map<string, { revision: number; hash: string }>();
  let events = 0;
  const formats: Record<string, number> = {};
  for (let position = from.lastPosition; ; ) {
    const page = await store.readAll({ fromPosition: position, limit: PAGE });
    for (const event of page) {
      events += 1;
      formats[event.hashFormat] = (formats[event.hashFormat] ?? 0) + 1;
      let before = lastHash.get(event.stream);
      if (!before && event.revision > 0) {
        const [previous] = await store.readStream(event.stream, { fromRevision: event.revision - 1 });
        if (previous && previous.revision === event.revision - 1) before = { revision: previous.revision, hash: previous.hash };
      }
      const prevHash = event.revision === 0 ? GENESIS_HASH : before?.hash;
      if (prevHash === undefined || event.prevHash !== prevHash || !isHashFormat(event.hashFormat) || event.hash !== chainHash(prevHash, event, event.hashFormat)) {
        findings.push({ kind: 'chain-broken', stream: event.stream, revision: event.revision, eventId: event.eventId, globalPosition: event.globalPosition, detail: 'the event does not chain onto the one before it, or does not match its hash' });
      }
      const leaf = leaves.get(event.globalPosition);
      if (leaf && leaf.hash !== leafOf(algorithm, event)) {
        findings.push({ kind: 'leaf-altered', stream: event.stream, revision: event.revision, eventId: event.eventId, globalPosition: event.globalPosition, detail: `recordedAt, position or hash differs from the log's leaf ${leaf.idx}` });
      }
      lastHash.set(event.stream, { revision: event.revision, hash: event.hash });
    }
    if (page.length < PAGE) break;
    position = page[page.length - 1].globalPosition;
  }
  const ok = findings.length === 0;
  if (ok && newest && newest.treeSize > from.treeSize) {
    await pool.query('INSERT INTO ledger_verifications (tree_size, root_hash, last_position, mode) VALUES ($1, $2, $3, $4)', [newest.treeSize, newest.rootHash, newest.lastPosition, 'incremental']);
  }
  return {
    ok,
    mode: 'incremental',
    events,
    streams: lastHash.size,
    formats,
    findings,
    newestHead: newest,
    headsChecked: newest ? 1 : 0,
    uncovered: Math.max(0, events - Math.max(0, (newest?.treeSize ?? 0) - from.treeSize)),
    signaturesChecked: publicKey !== undefined,
    accessRecords: 0,
  };
}
