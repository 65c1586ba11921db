import type { Pool, PoolClient } from 'pg';

type Queryable = Pick<PoolClient, 'query'>;
import { MIGRATION_LOCK_KEY, withClient } from '@cadre-ledger/platform';
import { POSITION_TX_SHIFT } from './schema';

/** Head room left between restored positions and the first new one. */
const OFFSET_MARGIN = 1000n;

/**
 * Global positions are built from transaction ids (schema.ts), which belong to a cluster, not to
 * the data: after a logical restore (pg_dump into another server) the new cluster's ids may be far
 * below those the stored positions were made of, and new events would sort before old ones. At
 * start-up, under the migration lock, this raises `ledger_xid_offset()` until the next transaction
 * id lands above every stored position. Physical backups and replicas keep their ids: no change.
 *
 * Returns the offset in force afterwards.
 */
export async function ensurePositionsAhead(pool: Pool): Promise<bigint> {
  return withClient(pool, async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK_KEY]);
    try {
      return await raisePositionOffset(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  });
}

/**
 * Raises `ledger_xid_offset()`, on this connection (and in its transaction, if one is open), until
 * the next transaction id lands above every stored position. The caller holds whatever lock keeps
 * others from doing the same at once.
 */
export async function raisePositionOffset(client: Queryable): Promise<bigint> {
  const { rows } = await client.query<{ highest_tx: string | null; next_xid: string; offset: string }>(
    `SELECT (SELECT max(global_position) FROM ledger_events) >> ${POSITION_TX_SHIFT} AS highest_tx,
            pg_snapshot_xmax(pg_current_snapshot())::text AS next_xid,
            ledger_xid_offset() AS offset`,
  );
  const offset = BigInt(rows[0].offset);
  if (rows[0].highest_tx === null) return offset;
  const highestTx = BigInt(rows[0].highest_tx);
  const nextXid = BigInt(rows[0].next_xid);
  if (nextXid + offset > highestTx) return offset;
  const raised = highestTx - nextXid + OFFSET_MARGIN;
  // A constant function, so appends and reads pay nothing for it; replacing it invalidates
  // plans that inlined the old value.
  await client.query(`CREATE OR REPLACE FUNCTION ledger_xid_offset() RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT ${raised.toString()}::bigint $$`);
  return raised;
}
