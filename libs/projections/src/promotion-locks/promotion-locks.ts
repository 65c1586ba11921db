import type { Pool, PoolClient } from 'pg';
import type { Citation, LocalDate } from '@cadre-ledger/domain';
import type { Verdict, VerdictLock } from '@cadre-ledger/policy';
import { CURSOR_PART, decodeCursor, page } from '../postgres/cursor';
import { CADRE_COLUMN as cadre, columns, scopeOf, type TableComment, type UnitScope } from '../read-model';

/** `promotion_locks`: the locks holding today, one row each: the verdict's own locks (`VerdictLock`). */

/** A lock of the verdict as a row: the cadre and its unit today, and the lock's own fields. */
export type LockRow = { cadreId: string; unitId: string } & Pick<VerdictLock, 'lockId' | 'kind' | 'ruleId' | 'from' | 'until' | 'sourceEventId'>;

/** The rows of a verdict's locks. */
export function lockRows(verdict: Verdict, cadreId: string, unitId: string): LockRow[] {
  return verdict.locks.map(({ lockId, kind, ruleId, from, until, sourceEventId }) => ({ cadreId, unitId, lockId, kind, ruleId, from, until, sourceEventId }));
}

/** Version 1, as shipped. */
export const PROMOTION_LOCKS_TABLE = (suffix: string): string => `
CREATE TABLE promotion_locks${suffix} (
  cadre_id text NOT NULL,
  lock_id text NOT NULL,
  unit_id text NOT NULL,
  kind text NOT NULL,
  rule_id text NOT NULL,
  from_date date NOT NULL,
  until_date date,
  source_event_id text NOT NULL,
  PRIMARY KEY (cadre_id, lock_id)
);
CREATE INDEX promotion_locks${suffix}_until ON promotion_locks${suffix} (until_date);`;

export const PROMOTION_LOCKS_COMMENT: TableComment = {
  table: ['今日有效的影响期限制,每项一行', 'locks holding today, one row each'],
  columns: {
    cadre_id: cadre,
    lock_id: ['限制编号(规则@事实)', 'lock id (rule@fact)'],
    unit_id: ['今日所在单位编号', 'unit id today'],
    kind: ['限制种类(如 demotion 降职、party-warning 党内警告)', 'lock kind (e.g. demotion, party-warning)'],
    rule_id: ['产生该限制的规则编号', 'id of the rule that produced it'],
    from_date: ['影响期开始日', 'first day of the lock'],
    until_date: ['影响期结束日(不含当日);未结案等无期限时为空', 'end (exclusive); null while open-ended'],
    source_event_id: ['产生该限制的事实的事件编号', 'event id of the fact behind it'],
  },
};

export async function insertLocks(client: PoolClient, table: string, locks: readonly LockRow[]): Promise<void> {
  if (locks.length === 0) return;
  await client.query(
    `INSERT INTO ${table} (cadre_id, lock_id, unit_id, kind, rule_id, from_date, until_date, source_event_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::date[], $8::text[])`,
    columns(locks, ['cadreId', 'lockId', 'unitId', 'kind', 'ruleId', 'from', 'until', 'sourceEventId']),
  );
}

/** A lock in `/v1/locks`: its row, the cadre's name, and the verdict's citation of it. */
export type LockItem = LockRow & { name: string | null; citation: VerdictLock['citation'] | null };

/** Locks in force today, soonest end first (open-ended last); `endingWithin`: only those ending within that many days. */
export async function listLocks(
  pool: Pool,
  query: { scope: UnitScope; unitId?: string; endingWithin?: number; cursor?: string; limit: number; today: LocalDate },
): Promise<{ items: LockItem[]; nextCursor: string | null }> {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, [CURSOR_PART.optionalDate, CURSOR_PART.identifier, /^[\x21-\x7e]{1,200}$/]);
  type Row = { cadre_id: string; name: string | null; unit_id: string; lock_id: string; kind: string; rule_id: string; from_date: string; until_date: string | null; source_event_id: string; citation: Citation | null };
  const { rows } = await pool.query<Row>(
    `SELECT p.cadre_id, d.name, p.unit_id, p.lock_id, p.kind, p.rule_id, to_char(p.from_date, 'YYYY-MM-DD') AS from_date,
            to_char(p.until_date, 'YYYY-MM-DD') AS until_date, p.source_event_id,
            (SELECT l -> 'citation' FROM reporting.cadre_eligibility e, jsonb_array_elements(e.locks) l WHERE e.cadre_id = p.cadre_id AND l ->> 'lockId' = p.lock_id LIMIT 1) AS citation
     FROM reporting.promotion_locks p LEFT JOIN reporting.cadres d USING (cadre_id)
     WHERE p.from_date <= $6::date AND (p.until_date IS NULL OR p.until_date > $6::date)
       AND ($1::text[] IS NULL OR p.unit_id = ANY($1))
       AND ($2::text IS NULL OR p.unit_id = $2)
       AND ($3::int IS NULL OR p.until_date <= $6::date + $3::int)
       AND ($4::text[] IS NULL OR (coalesce(p.until_date, 'infinity'::date), p.cadre_id, p.lock_id) > (coalesce(nullif($4[1], '')::date, 'infinity'::date), $4[2], $4[3]))
     ORDER BY coalesce(p.until_date, 'infinity'::date), p.cadre_id, p.lock_id LIMIT $5`,
    [scopeOf(query.scope), query.unitId ?? null, query.endingWithin ?? null, after, query.limit + 1, query.today],
  );
  return page(
    rows,
    query.limit,
    (r): LockItem => ({
      cadreId: r.cadre_id,
      name: r.name,
      unitId: r.unit_id,
      lockId: r.lock_id,
      kind: r.kind,
      ruleId: r.rule_id,
      from: r.from_date,
      until: r.until_date,
      sourceEventId: r.source_event_id,
      citation: r.citation,
    }),
    (r) => [r.until_date ?? '', r.cadre_id, r.lock_id],
  );
}


