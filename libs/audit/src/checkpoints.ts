import type { KeyObject } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { NOTE_ED25519, checkpointText, noteKey, signNoteEd25519, type NoteKey } from './note';
import { keyIdOf, type SigningKey, type TreeHead } from './signing';

type Queryable = Pick<Pool, 'query'> | Pick<PoolClient, 'query'>;

/**
 * The signed heads as C2SP checkpoints, stored with every witness cosignature gathered for them.
 * Only SHA-256 trees have checkpoints: tlog-checkpoint commits to an RFC 6962 (SHA-256) root, and a
 * store made with SM3 keeps its SM3 tree (its heads, proofs and digests are unchanged).
 */
export interface StoredCheckpoint {
  treeSize: number;
  /** The note text: origin, tree size, base64 root, each line ending in a newline. */
  body: string;
  /** The log's signature line (Ed25519, type 0x01, key name = origin). */
  logSignature: string;
  cosignatures: { witness: string; signature: string }[];
}

/** The checkpoint as a signed note: the text, a blank line, the log's signature, every cosignature. */
export const checkpointNote = (checkpoint: StoredCheckpoint): string =>
  `${checkpoint.body}\n${checkpoint.logSignature}${checkpoint.cosignatures.map((c) => c.signature).join('')}`;

/**
 * The origin line, unique per deployment (LEDGER_LOG_ORIGIN); unset: one derived from the signing
 * key, unique for as long as the key is.
 */
export const logOrigin = (configured: string | undefined, publicKey: KeyObject): string => configured ?? `cadre-ledger/${keyIdOf(publicKey)}`;

/** The log's note key: its name is the origin (tlog-checkpoint: the key name should match it). */
export const logNoteKey = (origin: string, publicKey: KeyObject): NoteKey => noteKey(origin, NOTE_ED25519, publicKey);

/** The id a witness's cosignatures are stored under: its key name and key id. */
export const witnessId = (key: NoteKey): string => `${key.name}+${key.keyId.toString(16).padStart(8, '0')}`;

/** The checkpoint of a signed head (once: a second call finds it stored). */
export async function storeCheckpoint(db: Queryable, head: TreeHead, origin: string, key: SigningKey): Promise<StoredCheckpoint> {
  const body = checkpointText({ origin, treeSize: head.treeSize, rootHash: head.rootHash });
  const logSignature = signNoteEd25519(body, logNoteKey(origin, key.publicKey), key.privateKey);
  await db.query('INSERT INTO ledger_checkpoints (tree_size, body, log_signature) VALUES ($1, $2, $3) ON CONFLICT (tree_size) DO NOTHING', [head.treeSize, body, logSignature]);
  return (await checkpointOfSize(db, head.treeSize))!;
}

export async function addCosignature(db: Queryable, treeSize: number, witness: string, signature: string): Promise<void> {
  await db.query('INSERT INTO ledger_cosignatures (tree_size, witness, signature) VALUES ($1, $2, $3) ON CONFLICT (tree_size, witness) DO NOTHING', [treeSize, witness, signature]);
}

async function withCosignatures(db: Queryable, rows: { tree_size: string; body: string; log_signature: string }[]): Promise<StoredCheckpoint[]> {
  if (rows.length === 0) return [];
  const sizes = rows.map((r) => r.tree_size);
  const cosigned = await db.query<{ tree_size: string; witness: string; signature: string }>(
    'SELECT tree_size, witness, signature FROM ledger_cosignatures WHERE tree_size = ANY($1::bigint[]) ORDER BY received_at, witness',
    [sizes],
  );
  return rows.map((r) => ({
    treeSize: Number(r.tree_size),
    body: r.body,
    logSignature: r.log_signature,
    cosignatures: cosigned.rows.filter((c) => c.tree_size === r.tree_size).map((c) => ({ witness: c.witness, signature: c.signature })),
  }));
}

export async function checkpointOfSize(db: Queryable, treeSize: number): Promise<StoredCheckpoint | null> {
  const { rows } = await db.query<{ tree_size: string; body: string; log_signature: string }>('SELECT tree_size, body, log_signature FROM ledger_checkpoints WHERE tree_size = $1', [treeSize]);
  return (await withCosignatures(db, rows))[0] ?? null;
}

export async function newestCheckpoint(db: Queryable): Promise<StoredCheckpoint | null> {
  const { rows } = await db.query<{ tree_size: string; body: string; log_signature: string }>('SELECT tree_size, body, log_signature FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1');
  return (await withCosignatures(db, rows))[0] ?? null;
}

/** The newest checkpoints that hold a cosignature (what a verification with a witness policy looks at), newest first. */
export async function cosignedCheckpoints(db: Queryable, limit = 100): Promise<StoredCheckpoint[]> {
  const { rows } = await db.query<{ tree_size: string; body: string; log_signature: string }>(
    'SELECT c.tree_size, c.body, c.log_signature FROM ledger_checkpoints c WHERE EXISTS (SELECT 1 FROM ledger_cosignatures s WHERE s.tree_size = c.tree_size) ORDER BY c.tree_size DESC LIMIT $1',
    [limit],
  );
  return withCosignatures(db, rows);
}

/** The largest tree size each witness has cosigned, as stored. */
export async function lastCosignedSizes(db: Queryable): Promise<Map<string, number>> {
  const { rows } = await db.query<{ witness: string; size: string }>('SELECT witness, max(tree_size) AS size FROM ledger_cosignatures GROUP BY witness');
  return new Map(rows.map((r) => [r.witness, Number(r.size)]));
}
