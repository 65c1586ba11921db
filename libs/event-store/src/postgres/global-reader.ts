import type { Pool } from 'pg';
import type { StoredEvent } from '../port';
import { EVENT_COLUMNS, toStoredEvent, type EventRow } from './rows';

export interface GlobalPage {
  events: StoredEvent[];
  /** Exclusive upper bound of what this read could see (see POSITION_TX_SHIFT in schema.ts). */
  visibleBelow: number;
}

// One statement, so the frontier and the rows come from the same snapshot: every row below the
// frontier that this snapshot does not show was rolled back, never "not committed yet".
const PAGE_SQL = `WITH frontier AS (SELECT ledger_visible_below() AS below)
SELECT f.below AS visible_below, e.*
FROM frontier f
LEFT JOIN LATERAL (
  SELECT ${EVENT_COLUMNS} FROM ledger_events
  WHERE global_position > $1 AND global_position < f.below
  ORDER BY global_position LIMIT $2
) e ON true`;

/** Reads the global order after `fromPosition` (exclusive), never past the visibility frontier. */
export async function readGlobalPage(pool: Pool, fromPosition: number, limit: number): Promise<GlobalPage> {
  const { rows } = await pool.query<Partial<EventRow> & { visible_below: string }>(PAGE_SQL, [fromPosition, limit]);
  const events = rows.filter((row) => row.global_position !== null && row.global_position !== undefined).map((row) => toStoredEvent(row as EventRow));
  return { events, visibleBelow: rows.length > 0 ? Number(rows[0].visible_below) : 0 };
}
