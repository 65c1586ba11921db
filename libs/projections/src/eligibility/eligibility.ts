import type { Pool, PoolClient } from 'pg';
import type { Citation, LocalDate } from '@cadre-ledger/domain';
import type { Verdict } from '@cadre-ledger/policy';
import { CURSOR_PART, decodeCursor, page } from '../postgres/cursor';
import { CADRE_COLUMN as cadre, json, scopeOf, type TableComment, type UnitScope } from '../read-model';

/**
 * `cadre_eligibility`: each cadre's verdict as of today, one row per cadre (the whole verdict, and
 * its parts as columns for BI); `eligibility_outbox`: the verdicts the Kafka relay publishes.
 */
export interface EligibilityRow {
  cadreId: string;
  unitId: string;
  jurisdiction: string;
  asOf: LocalDate;
  promotable: boolean;
  /** The earliest `until` among the locks that hold (null when none holds, or all are open-ended). */
  nextLockEnd: LocalDate | null;
  verdict: Verdict;
  revision: number;
}

/** Version 1, as shipped. */
export const ELIGIBILITY_TABLE = (suffix: string): string => `
CREATE TABLE cadre_eligibility${suffix} (
  cadre_id text PRIMARY KEY,
  unit_id text NOT NULL,
  jurisdiction text NOT NULL,
  as_of date NOT NULL,
  promotable boolean NOT NULL,
  next_lock_end date,
  locks jsonb NOT NULL,
  priorities jsonb NOT NULL,
  review_triggers jsonb NOT NULL,
  conditions jsonb NOT NULL,
  benefits jsonb NOT NULL,
  verdict jsonb NOT NULL,
  revision bigint NOT NULL
);
CREATE INDEX cadre_eligibility${suffix}_unit ON cadre_eligibility${suffix} (unit_id, promotable, cadre_id);`;

/** Version 2, as shipped: written in the projector's transaction when Kafka is on; the relay publishes and deletes. */
export const ELIGIBILITY_OUTBOX_TABLE = `CREATE TABLE eligibility_outbox (
  seq bigserial PRIMARY KEY,
  cadre_id text NOT NULL,
  unit_id text NOT NULL,
  verdict jsonb NOT NULL
);`;

export const ELIGIBILITY_COMMENT: TableComment = {
  table: ['每名干部截至今日的提拔资格结论(政策引擎 evaluate 的结果)', 'each cadre\'s promotion verdict as of today (the policy engine\'s evaluate)'],
  columns: {
    cadre_id: cadre,
    unit_id: ['今日所在单位编号', 'unit id today'],
    jurisdiction: ['适用的规则辖区(如 CN-SN 陕西)', 'rule jurisdiction (e.g. CN-SN, Shaanxi)'],
    as_of: ['结论所依据的日期(中国标准时间的今日)', 'the date the verdict is as of (today, China Standard Time)'],
    promotable: ['是否可以提拔:没有任何影响期限制时为真', 'promotable: true exactly when no lock holds'],
    next_lock_end: ['最早结束的影响期的结束日(不含当日);无则为空', 'earliest end (exclusive) of a lock that holds; null when none'],
    locks: ['影响期限制(JSON:种类、规则、起止、条款)', 'locks (JSON: kind, rule, from, until, clause)'],
    priorities: ['优先使用情形(JSON)', 'priorities (JSON)'],
    review_triggers: ['需要研判调整的情形(能下,JSON)', 'review triggers (能下, JSON)'],
    conditions: ['提拔的附加条件(如征求上级意见,JSON)', 'conditions of a promotion (e.g. consultation, JSON)'],
    benefits: ['激励待遇(如奖金上浮,JSON)', 'benefits (e.g. bonus, JSON)'],
    verdict: ['完整结论(JSON,与 API 返回一致)', 'the whole verdict (JSON, as the API answers it)'],
    revision: ['计算时干部事件流的版本号', 'the cadre stream\'s revision it was computed from'],
  },
};

/** Inserts rows into `table` (`reporting.cadre_eligibility`, or a rebuild's copy). */
export async function insertEligibility(client: PoolClient, table: string, eligibility: readonly EligibilityRow[]): Promise<void> {
  if (eligibility.length === 0) return;
  await client.query(
    `INSERT INTO ${table} (cadre_id, unit_id, jurisdiction, as_of, promotable, next_lock_end, locks, priorities,
       review_triggers, conditions, benefits, verdict, revision)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::boolean[], $6::date[], $7::jsonb[], $8::jsonb[],
       $9::jsonb[], $10::jsonb[], $11::jsonb[], $12::jsonb[], $13::bigint[])`,
    [
      eligibility.map((e) => e.cadreId),
      eligibility.map((e) => e.unitId),
      eligibility.map((e) => e.jurisdiction),
      eligibility.map((e) => e.asOf),
      eligibility.map((e) => e.promotable),
      eligibility.map((e) => e.nextLockEnd),
      eligibility.map((e) => json(e.verdict.locks)),
      eligibility.map((e) => json(e.verdict.priorities)),
      eligibility.map((e) => json(e.verdict.reviewTriggers)),
      eligibility.map((e) => json(e.verdict.conditions)),
      eligibility.map((e) => json(e.verdict.benefits)),
      eligibility.map((e) => json(e.verdict)),
      eligibility.map((e) => e.revision),
    ],
  );
}

/** Queues the verdicts for the Kafka relay (the live tables only). */
export async function insertOutbox(client: PoolClient, eligibility: readonly EligibilityRow[]): Promise<void> {
  if (eligibility.length === 0) return;
  await client.query('INSERT INTO eligibility_outbox (cadre_id, unit_id, verdict) SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])', [
    eligibility.map((e) => e.cadreId),
    eligibility.map((e) => e.unitId),
    eligibility.map((e) => json(e.verdict)),
  ]);
}

export interface EligibilityQuery {
  scope: UnitScope;
  unitId?: string;
  promotable?: boolean;
  /** Opaque: the `nextCursor` of the previous page. */
  cursor?: string;
  limit: number;
}

export interface EligibilityPage {
  items: (Verdict & { unitId: string })[];
  nextCursor: string | null;
}


/** Today's verdicts from `cadre_eligibility`, in cadre id order, a page at a time (keyset pagination). */
export async function listEligibility(pool: Pool, query: EligibilityQuery): Promise<EligibilityPage> {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, [CURSOR_PART.identifier])[0];
  const { rows } = await pool.query<{ cadre_id: string; unit_id: string; verdict: Verdict }>(
    `SELECT cadre_id, unit_id, verdict FROM reporting.cadre_eligibility
     WHERE ($1::text[] IS NULL OR unit_id = ANY($1))
       AND ($2::text IS NULL OR unit_id = $2)
       AND ($3::boolean IS NULL OR promotable = $3)
       AND ($4::text IS NULL OR cadre_id > $4)
     ORDER BY cadre_id LIMIT $5`,
    [query.scope === '*' ? null : [...query.scope], query.unitId ?? null, query.promotable ?? null, after, query.limit + 1],
  );
  return page(rows, query.limit, (r) => ({ ...r.verdict, unitId: r.unit_id }), (r) => [r.cadre_id]);
}


export interface TriggerItem {
  cadreId: string;
  name: string | null;
  unitId: string;
  ruleId: string;
  kind: string;
  since: LocalDate;
  sourceEventId: string;
  citation: Citation;
}

/**
 * Review triggers standing today (能下: what calls for a review), longest standing first, from the
 * eligibility read model: the list behind `/v1/stats`' `openReviewTriggers`.
 */
export async function listReviewTriggers(
  pool: Pool,
  query: { scope: UnitScope; unitId?: string; cursor?: string; limit: number },
): Promise<{ items: TriggerItem[]; nextCursor: string | null }> {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, [CURSOR_PART.date, CURSOR_PART.identifier, /^[\x21-\x7e]{1,200}$/]);
  type Row = { cadre_id: string; name: string | null; unit_id: string; rule_id: string; kind: string; since: string; source_event_id: string; citation: Citation };
  const { rows } = await pool.query<Row>(
    `SELECT e.cadre_id, d.name, e.unit_id, t ->> 'ruleId' AS rule_id, t ->> 'kind' AS kind, t ->> 'since' AS since,
            t ->> 'sourceEventId' AS source_event_id, t -> 'citation' AS citation
     FROM reporting.cadre_eligibility e CROSS JOIN LATERAL jsonb_array_elements(e.review_triggers) t
     LEFT JOIN reporting.cadres d ON d.cadre_id = e.cadre_id
     WHERE ($1::text[] IS NULL OR e.unit_id = ANY($1))
       AND ($2::text IS NULL OR e.unit_id = $2)
       AND ($3::text[] IS NULL OR (t ->> 'since', e.cadre_id, t ->> 'ruleId') > ($3[1], $3[2], $3[3]))
     ORDER BY t ->> 'since', e.cadre_id, t ->> 'ruleId' LIMIT $4`,
    [scopeOf(query.scope), query.unitId ?? null, after, query.limit + 1],
  );
  return page(
    rows,
    query.limit,
    (r): TriggerItem => ({ cadreId: r.cadre_id, name: r.name, unitId: r.unit_id, ruleId: r.rule_id, kind: r.kind, since: r.since, sourceEventId: r.source_event_id, citation: r.citation }),
    (r) => [r.since, r.cadre_id, r.rule_id],
  );
}

