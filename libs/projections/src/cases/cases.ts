import type { Pool, PoolClient } from 'pg';
import {
  ADJUSTMENT_PROCEDURE,
  TOLERANCE_PROCEDURE,
  casesAsOf,
  finalStep,
  type AdjustmentApproved,
  type AdjustmentCaseStep,
  type AdjustmentReported,
  type Fact,
  type LocalDate,
  type Procedure,
  type ToleranceDecided,
  type ToleranceRequested,
  type ToleranceStep,
} from '@cadre-ledger/domain';
import { CURSOR_PART, decodeCursor, page } from '../postgres/cursor';
import { CADRE_COLUMN as cadre, columns, daysBetween, json, scopeOf, type Described, type TableComment, type UnitScope } from '../read-model';

/**
 * The cases of the two procedures, each at the step it is at (`tolerance_cases`, `adjustment_cases`):
 * the steps, and which one closes a case, are the procedures' own descriptions (TOLERANCE_PROCEDURE,
 * ADJUSTMENT_PROCEDURE); `/v1/cases` lists both.
 */

export interface ToleranceCaseRow {
  cadreId: string;
  unitId: string;
  caseId: string;
  situation: string;
  step: ToleranceStep;
  outcome: string | null;
  requestedOn: LocalDate;
  lastStepOn: LocalDate;
  /** Days from the last step to `asOf` while the case is not filed; 0 once filed. */
  daysWaiting: number;
}

/** A 第十五条 case and the step it is at; open until the talk, or until an approval that says no. */
export interface AdjustmentCaseRow {
  cadreId: string;
  unitId: string;
  caseId: string;
  triggers: string[];
  step: AdjustmentCaseStep;
  approved: boolean | null;
  reportedOn: LocalDate;
  lastStepOn: LocalDate;
  /** Days since the last step while the case is open; 0 once closed. */
  daysWaiting: number;
}

/** The tolerance cases as of `asOf`, at the steps of `procedure` (TOLERANCE_PROCEDURE). */
export function toleranceCaseRows(live: readonly Fact[], cadreId: string, unitId: string, asOf: LocalDate, procedure: Procedure = TOLERANCE_PROCEDURE): ToleranceCaseRow[] {
  return casesAsOf(procedure, live, asOf).map((c) => {
    const [requested] = c.facts as Fact<ToleranceRequested>[];
    const decided = c.facts.filter((f): f is Fact<ToleranceDecided> => f.type === 'ToleranceDecided').pop();
    const closed = c.step === finalStep(procedure);
    return { cadreId, unitId, caseId: c.caseId, situation: requested.data.situation, step: c.step as ToleranceStep, outcome: decided?.data.outcome ?? null, requestedOn: c.openedOn, lastStepOn: c.lastStepOn, daysWaiting: closed ? 0 : daysBetween(c.lastStepOn, asOf) };
  });
}

/** The 第十五条 cases as of `asOf`, at the steps of `procedure` (ADJUSTMENT_PROCEDURE); closed at its last step, or by an approval that says no. */
export function adjustmentCaseRows(live: readonly Fact[], cadreId: string, unitId: string, asOf: LocalDate, procedure: Procedure = ADJUSTMENT_PROCEDURE): AdjustmentCaseRow[] {
  return casesAsOf(procedure, live, asOf).map((c) => {
    const [reported] = c.facts as Fact<AdjustmentReported>[];
    const approval = c.facts.filter((f): f is Fact<AdjustmentApproved> => f.type === 'AdjustmentApproved').pop();
    const approved = approval?.data.approved ?? null;
    const closed = c.step === finalStep(procedure) || approved === false;
    return { cadreId, unitId, caseId: c.caseId, triggers: [...reported.data.triggers], step: c.step as AdjustmentCaseStep, approved, reportedOn: c.openedOn, lastStepOn: c.lastStepOn, daysWaiting: closed ? 0 : daysBetween(c.lastStepOn, asOf) };
  });
}

/** Version 1, as shipped. */
export const TOLERANCE_CASES_TABLE = (suffix: string): string => `
CREATE TABLE tolerance_cases${suffix} (
  cadre_id text NOT NULL,
  case_id text NOT NULL,
  unit_id text NOT NULL,
  situation text NOT NULL,
  step text NOT NULL,
  outcome text,
  requested_on date NOT NULL,
  last_step_on date NOT NULL,
  days_waiting integer NOT NULL,
  PRIMARY KEY (cadre_id, case_id)
);`;

/** Version 3, as shipped: 第十五条 cases and the step each is at. */
export function adjustmentCasesTable(suffix: string): string {
  return `
CREATE TABLE adjustment_cases${suffix} (
  cadre_id text NOT NULL,
  case_id text NOT NULL,
  unit_id text NOT NULL,
  triggers jsonb NOT NULL,
  step text NOT NULL,
  approved boolean,
  reported_on date NOT NULL,
  last_step_on date NOT NULL,
  days_waiting integer NOT NULL,
  PRIMARY KEY (cadre_id, case_id)
);`;
}


/** A case's `step` column: the steps of its procedure's description. */
const stepComment = (procedure: Procedure): Described => [`最近完成的步骤:${procedure.steps.map((s) => `${s.step} ${s.zh}`).join('/')}`, `last step taken: ${procedure.steps.map((s) => s.step).join(', ')}`];

export const TOLERANCE_CASES_COMMENT: TableComment = {
  table: ['容错纠错案件及其进行到的步骤', 'tolerance (容错纠错) cases and the step each is at'],
  columns: {
    cadre_id: cadre,
    case_id: ['案件编号', 'case id'],
    unit_id: ['今日所在单位编号', 'unit id today'],
    situation: ['容错情形代码(如 SN-2)', 'tolerance situation code (e.g. SN-2)'],
    step: stepComment(TOLERANCE_PROCEDURE),
    outcome: ['认定结论:免责/减责/不予容错;未认定为空', 'outcome: exempted, mitigated, rejected; null before the decision'],
    requested_on: ['提出申请日期', 'date requested'],
    last_step_on: ['最近一步的日期', 'date of the last step'],
    days_waiting: ['自最近一步起等待的天数(已报备为 0)', 'days waiting since the last step (0 once filed)'],
  },
};

export const ADJUSTMENT_CASES_COMMENT: TableComment = {
  table: ['能上能下办法第十五条调整程序案件(报告→审核→报批→决定→谈话)', 'adjustment cases of 第十五条 (report → review → approval → decision → talk)'],
  columns: {
    cadre_id: cadre,
    case_id: ['案件编号', 'case id'],
    unit_id: ['今日所在单位编号', 'unit id today'],
    triggers: ['本案回应的研判情形(规则编号,JSON)', 'the review triggers it answers (rule ids, JSON)'],
    step: stepComment(ADJUSTMENT_PROCEDURE),
    approved: ['报批结果;未报批为空', 'approval; null before it'],
    reported_on: ['报告日期', 'date reported'],
    last_step_on: ['最近一步的日期', 'date of the last step'],
    days_waiting: ['自最近一步起等待的天数(已结案为 0)', 'days waiting since the last step (0 once closed)'],
  },
};

export async function insertToleranceCases(client: PoolClient, table: string, cases: readonly ToleranceCaseRow[]): Promise<void> {
  if (cases.length === 0) return;
  await client.query(
    `INSERT INTO ${table} (cadre_id, case_id, unit_id, situation, step, outcome, requested_on, last_step_on, days_waiting)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[], $8::date[], $9::int[])`,
    columns(cases, ['cadreId', 'caseId', 'unitId', 'situation', 'step', 'outcome', 'requestedOn', 'lastStepOn', 'daysWaiting']),
  );
}

export async function insertAdjustmentCases(client: PoolClient, table: string, cases: readonly AdjustmentCaseRow[]): Promise<void> {
  if (cases.length === 0) return;
  await client.query(
    `INSERT INTO ${table} (cadre_id, case_id, unit_id, triggers, step, approved, reported_on, last_step_on, days_waiting)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::text[], $6::boolean[], $7::date[], $8::date[], $9::int[])`,
    columns(cases.map((c) => ({ ...c, triggers: json(c.triggers) })), ['cadreId', 'caseId', 'unitId', 'triggers', 'step', 'approved', 'reportedOn', 'lastStepOn', 'daysWaiting']),
  );
}

export const CASE_KINDS = ['tolerance', 'adjustment'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

export interface CaseItem {
  kind: CaseKind;
  cadreId: string;
  name: string | null;
  unitId: string;
  caseId: string;
  /** The last step taken: the case waits for the next one. */
  step: string;
  openedOn: LocalDate;
  lastStepOn: LocalDate;
  /** Days from the last step to today. */
  daysWaiting: number;
  /** Tolerance: the situation code and, once decided, the outcome. */
  situation?: string;
  outcome?: string | null;
  /** Adjustment: the review triggers (rule ids) the case answers, and the approval once given. */
  triggers?: string[];
  approved?: boolean | null;
}

/** Open cases, longest waiting first: tolerance cases not yet filed, 第十五条 cases neither talked nor refused. */
export async function listCases(
  pool: Pool,
  query: { scope: UnitScope; kind?: CaseKind; step?: string; unitId?: string; cursor?: string; limit: number; today: LocalDate },
): Promise<{ items: CaseItem[]; nextCursor: string | null }> {
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, [CURSOR_PART.date, CURSOR_PART.word, CURSOR_PART.identifier, CURSOR_PART.identifier]);
  type Row = { kind: CaseKind; cadre_id: string; name: string | null; unit_id: string; case_id: string; step: string; opened_on: string; last_step_on: string; days: number; situation: string | null; outcome: string | null; triggers: string[] | null; approved: boolean | null };
  const { rows } = await pool.query<Row>(
    `SELECT c.kind, c.cadre_id, d.name, c.unit_id, c.case_id, c.step, to_char(c.opened_on, 'YYYY-MM-DD') AS opened_on,
            to_char(c.last_step_on, 'YYYY-MM-DD') AS last_step_on, greatest(0, $7::date - c.last_step_on) AS days,
            c.situation, c.outcome, c.triggers, c.approved
     FROM (
       SELECT 'adjustment' AS kind, cadre_id, case_id, unit_id, step, reported_on AS opened_on, last_step_on,
              NULL::text AS situation, NULL::text AS outcome, triggers, approved
         FROM reporting.adjustment_cases WHERE step <> '${finalStep(ADJUSTMENT_PROCEDURE)}' AND approved IS DISTINCT FROM false
       UNION ALL
       SELECT 'tolerance', cadre_id, case_id, unit_id, step, requested_on, last_step_on, situation, outcome, NULL::jsonb, NULL::boolean
         FROM reporting.tolerance_cases WHERE step <> '${finalStep(TOLERANCE_PROCEDURE)}'
     ) c LEFT JOIN reporting.cadres d USING (cadre_id)
     WHERE ($1::text[] IS NULL OR c.unit_id = ANY($1))
       AND ($2::text IS NULL OR c.kind = $2)
       AND ($3::text IS NULL OR c.step = $3)
       AND ($4::text IS NULL OR c.unit_id = $4)
       AND ($5::text[] IS NULL OR (c.last_step_on, c.kind, c.cadre_id, c.case_id) > ($5[1]::date, $5[2], $5[3], $5[4]))
     ORDER BY c.last_step_on, c.kind, c.cadre_id, c.case_id LIMIT $6`,
    [scopeOf(query.scope), query.kind ?? null, query.step ?? null, query.unitId ?? null, after, query.limit + 1, query.today],
  );
  return page(
    rows,
    query.limit,
    (r): CaseItem => ({
      kind: r.kind,
      cadreId: r.cadre_id,
      name: r.name,
      unitId: r.unit_id,
      caseId: r.case_id,
      step: r.step,
      openedOn: r.opened_on,
      lastStepOn: r.last_step_on,
      daysWaiting: r.days,
      ...(r.kind === 'tolerance' ? { situation: r.situation ?? '', outcome: r.outcome } : { triggers: r.triggers ?? [], approved: r.approved }),
    }),
    (r) => [r.last_step_on, r.kind, r.cadre_id, r.case_id],
  );
}


