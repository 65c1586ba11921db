import type { Pool, PoolClient } from 'pg';
import { conflictKey, type CadreState, type Citation, type Fact, type LocalDate } from '@cadre-ledger/domain';
import { promotionConflicts, type PromotionConflict, type RuleBook } from '@cadre-ledger/policy';
import { CURSOR_PART, decodeCursor, page } from '../postgres/cursor';
import { CADRE_COLUMN as cadre, columns, json, scopeOf, type TableComment, type UnitScope } from '../read-model';
import type { LockRow } from '../promotion-locks/promotion-locks';

/**
 * `promotion_conflicts`: the 选人用人 audit's pairs, a promotion inside a lock as everything stored
 * tells it (`promotionConflicts`, the same `evaluate` a promotion is refused with), and their count
 * per unit and year; and what the stream's own record of them lacks (the conflict detector's to
 * append, libs/clock).
 */

/** One (promotion, lock) pair: the lock as a row, the promotion inside it. `unitId`: the cadre's unit on the promotion's date. */
export type ConflictRow = LockRow &
  Pick<PromotionConflict, 'promotionEventId' | 'promotedOn' | 'promotionRecordedAt' | 'knownAtPromotion' | 'lockRecordedAt'> & { citation: PromotionConflict['lock']['citation'] };

export interface ConflictChanges {
  /** Pairs to detect, each with the occurrence its detection will be. */
  detect: (PromotionConflict & { occurrence: number })[];
  /** Open pairs that no longer hold. */
  resolve: { promotionEventId: string; lockId: string; ruleId: string; occurrence: number }[];
}


/** The audit's pairs as everything stored tells them, and what the stream's record of them lacks. */
export function conflictRows(
  ruleBook: RuleBook,
  history: readonly Fact[],
  knownAt: string,
  state: CadreState,
  unitOn: (date: LocalDate) => string | null,
  registeredIn: string,
): { conflicts: ConflictRow[]; conflictChanges: ConflictChanges } {
  if (!state.registered) return { conflicts: [], conflictChanges: { detect: [], resolve: [] } };
  const found = promotionConflicts(ruleBook, history, knownAt);
  const holding = new Set(found.map((c) => conflictKey(c.promotionEventId, c.lock.lockId)));
  const detect = found.flatMap((c) => {
    const held = state.conflicts.get(conflictKey(c.promotionEventId, c.lock.lockId));
    return held?.open ? [] : [{ ...c, occurrence: (held?.occurrence ?? 0) + 1 }];
  });
  const resolve = [...state.conflicts.entries()].flatMap(([key, held]) => {
    if (!held.open || holding.has(key)) return [];
    const [promotionEventId, lockId] = key.split(' ');
    const detected = history.find((f) => f.type === 'ConflictDetected' && f.data.promotionEventId === promotionEventId && f.data.lockId === lockId && f.data.occurrence === held.occurrence);
    return [{ promotionEventId, lockId, ruleId: detected?.type === 'ConflictDetected' ? detected.data.ruleId : '', occurrence: held.occurrence }];
  });
  return {
    conflicts: found.map((c) => ({
      cadreId: c.cadreId,
      unitId: unitOn(c.promotedOn) ?? registeredIn,
      promotionEventId: c.promotionEventId,
      promotedOn: c.promotedOn,
      promotionRecordedAt: c.promotionRecordedAt,
      lockId: c.lock.lockId,
      kind: c.lock.kind,
      ruleId: c.lock.ruleId,
      from: c.lock.from,
      until: c.lock.until,
      sourceEventId: c.lock.sourceEventId,
      citation: c.lock.citation,
      knownAtPromotion: c.knownAtPromotion,
      lockRecordedAt: c.lockRecordedAt,
    })),
    conflictChanges: { detect, resolve },
  };
}


/** Version 6, as shipped (with its view). */
/** The 选人用人 audit per unit and year: a view, recreated whenever the tables are swapped. */
export const REPORTING_CONFLICTS_VIEW = `
CREATE VIEW reporting.promotion_conflicts_per_unit_year AS
  SELECT unit_id, extract(year FROM promoted_on)::integer AS year, count(*)::integer AS conflicts,
         count(DISTINCT cadre_id)::integer AS persons, (count(*) FILTER (WHERE NOT known_at_promotion))::integer AS retroactive
  FROM reporting.promotion_conflicts GROUP BY unit_id, extract(year FROM promoted_on)`;


export const V6_CONFLICTS = `
CREATE TABLE reporting.promotion_conflicts (
  cadre_id text NOT NULL,
  promotion_event_id text NOT NULL,
  lock_id text NOT NULL,
  unit_id text NOT NULL,
  promoted_on date NOT NULL,
  promotion_recorded_at timestamptz NOT NULL,
  kind text NOT NULL,
  rule_id text NOT NULL,
  from_date date NOT NULL,
  until_date date,
  source_event_id text NOT NULL,
  citation jsonb NOT NULL,
  known_at_promotion boolean NOT NULL,
  lock_recorded_at timestamptz NOT NULL,
  PRIMARY KEY (cadre_id, promotion_event_id, lock_id)
);
CREATE INDEX promotion_conflicts_unit_date ON reporting.promotion_conflicts (unit_id, promoted_on, cadre_id, promotion_event_id, lock_id);
CREATE INDEX promotion_conflicts_date ON reporting.promotion_conflicts (promoted_on, cadre_id, promotion_event_id, lock_id);
${REPORTING_CONFLICTS_VIEW};
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cadre_ledger_reporting') THEN
    GRANT SELECT ON reporting.promotion_conflicts, reporting.promotion_conflicts_per_unit_year TO cadre_ledger_reporting;
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'cadre_ledger_reporting not granted the conflicts: the migrating user may not grant';
END $$;
UPDATE projection_checkpoints SET position = 0, updated_at = clock_timestamp() WHERE name = 'read-models';`;


export const PROMOTION_CONFLICTS_COMMENT: TableComment = {
  table: ['选人用人检查:生效日期落在影响期内的提拔,每对(提拔、影响期)一行,按现在的记录', 'the 选人用人 audit: promotions whose effective date lies inside a lock, one row per (promotion, lock), as the records stand now'],
  columns: {
    cadre_id: cadre,
    promotion_event_id: ['提拔事件编号', 'the promotion\'s event id'],
    lock_id: ['影响期编号', 'lock id'],
    unit_id: ['提拔之日所在单位编号', 'unit id on the promotion\'s date'],
    promoted_on: ['提拔生效日期', 'the promotion\'s effective date'],
    promotion_recorded_at: ['提拔记入账本的时间(导入的历史提拔为导入时间)', 'when the promotion was recorded (for an imported one: the import)'],
    kind: ['影响期种类', 'lock kind'],
    rule_id: ['产生影响期的规则', 'the rule that produced the lock'],
    from_date: ['影响期起始日', 'lock start'],
    until_date: ['影响期结束日(不含当日);长期有效为空', 'lock end (exclusive); null while open-ended'],
    source_event_id: ['产生影响期的事实的事件编号', 'event id of the fact behind the lock'],
    citation: ['所依据的条款(JSON:文件、条、原文)', 'the clause (JSON: document, article, text)'],
    known_at_promotion: ['提拔记入时影响期是否已在记录中;为假即事后发现(带病提拔的情形)', 'whether the lock was in the records when the promotion was recorded; false is the retroactive case (带病提拔)'],
    lock_recorded_at: ['产生影响期的事实记入账本的时间', 'when the fact behind the lock was recorded'],
  },
};

export const CONFLICTS_VIEW_COMMENT: TableComment = {
  table: ['每单位每年影响期内提拔的数量(选人用人检查)', 'promotions inside a lock per unit and year (选人用人 audit)'],
  columns: {
    unit_id: ['提拔之日所在单位编号', 'unit id on the promotion\'s date'],
    year: ['提拔年度', 'year of the promotion'],
    conflicts: ['(提拔、影响期)对数', '(promotion, lock) pairs'],
    persons: ['涉及人数', 'persons'],
    retroactive: ['其中提拔时尚未记录的(事后发现)', 'of which not in the records at the promotion (found later)'],
  },
};

export async function insertConflicts(client: PoolClient, table: string, conflicts: readonly ConflictRow[]): Promise<void> {
  if (conflicts.length === 0) return;
  await client.query(
    `INSERT INTO ${table} (cadre_id, promotion_event_id, lock_id, unit_id, promoted_on, promotion_recorded_at, kind, rule_id,
       from_date, until_date, source_event_id, citation, known_at_promotion, lock_recorded_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::timestamptz[], $7::text[], $8::text[],
       $9::date[], $10::date[], $11::text[], $12::jsonb[], $13::boolean[], $14::timestamptz[])`,
    columns(conflicts.map((c) => ({ ...c, citation: json(c.citation) })), [
      'cadreId', 'promotionEventId', 'lockId', 'unitId', 'promotedOn', 'promotionRecordedAt', 'kind', 'ruleId',
      'from', 'until', 'sourceEventId', 'citation', 'knownAtPromotion', 'lockRecordedAt',
    ]),
  );
}

/** One finding in `/v1/conflicts`: the pair, with the cadre's name and the lock as the verdict gives it. */
export type ConflictItem = Pick<ConflictRow, 'cadreId' | 'unitId' | 'promotionEventId' | 'promotedOn' | 'promotionRecordedAt' | 'knownAtPromotion' | 'lockRecordedAt'> & {
  name: string | null;
  lock: Pick<PromotionConflict['lock'], 'lockId' | 'kind' | 'ruleId' | 'from' | 'until' | 'sourceEventId' | 'citation'>;
};

/** A timestamptz as the ledger writes instants: UTC, microseconds, `Z`. */
const UTC_MICROS = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The 选人用人 audit's pairs from the read model, promotions in `[from, to]` (either end open) of a
 * unit or of every unit in scope, by promotion date, cadre, promotion and lock.
 */
export async function listConflicts(
  pool: Pool,
  query: { scope: UnitScope; unitId?: string; from?: LocalDate; to?: LocalDate; cursor?: string; limit: number },
): Promise<{ items: ConflictItem[]; nextCursor: string | null }> {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, [CURSOR_PART.date, CURSOR_PART.identifier, /^[\x21-\x7e]{1,200}$/, /^[\x21-\x7e]{1,200}$/]);
  type Row = {
    cadre_id: string; name: string | null; unit_id: string; promotion_event_id: string; promoted_on: string; promotion_recorded_at: string; lock_id: string; kind: string;
    rule_id: string; from_date: string; until_date: string | null; source_event_id: string; citation: Citation; known_at_promotion: boolean; lock_recorded_at: string;
  };
  const { rows } = await pool.query<Row>(
    `SELECT c.cadre_id, d.name, c.unit_id, c.promotion_event_id, to_char(c.promoted_on, 'YYYY-MM-DD') AS promoted_on, ${UTC_MICROS('c.promotion_recorded_at')} AS promotion_recorded_at,
            c.lock_id, c.kind, c.rule_id, to_char(c.from_date, 'YYYY-MM-DD') AS from_date, to_char(c.until_date, 'YYYY-MM-DD') AS until_date,
            c.source_event_id, c.citation, c.known_at_promotion, ${UTC_MICROS('c.lock_recorded_at')} AS lock_recorded_at
     FROM reporting.promotion_conflicts c LEFT JOIN reporting.cadres d USING (cadre_id)
     WHERE ($1::text[] IS NULL OR c.unit_id = ANY($1))
       AND ($2::text IS NULL OR c.unit_id = $2)
       AND ($3::date IS NULL OR c.promoted_on >= $3::date)
       AND ($4::date IS NULL OR c.promoted_on <= $4::date)
       AND ($5::text[] IS NULL OR (c.promoted_on, c.cadre_id, c.promotion_event_id, c.lock_id) > ($5[1]::date, $5[2], $5[3], $5[4]))
     ORDER BY c.promoted_on, c.cadre_id, c.promotion_event_id, c.lock_id LIMIT $6`,
    [scopeOf(query.scope), query.unitId ?? null, query.from ?? null, query.to ?? null, after, query.limit + 1],
  );
  return page(
    rows,
    query.limit,
    (r): ConflictItem => ({
      cadreId: r.cadre_id,
      name: r.name,
      unitId: r.unit_id,
      promotionEventId: r.promotion_event_id,
      promotedOn: r.promoted_on,
      promotionRecordedAt: r.promotion_recorded_at,
      lock: { lockId: r.lock_id, kind: r.kind, ruleId: r.rule_id, from: r.from_date, until: r.until_date, sourceEventId: r.source_event_id, citation: r.citation },
      knownAtPromotion: r.known_at_promotion,
      lockRecordedAt: r.lock_recorded_at,
    }),
    (r) => [r.promoted_on, r.cadre_id, r.promotion_event_id, r.lock_id],
  );
}


