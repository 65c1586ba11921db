import type { PoolClient } from 'pg';
import type { Fact, LocalDate } from '@cadre-ledger/domain';
import { CADRE_COLUMN as cadre, columns, type Described, type TableComment } from '../read-model';

/** `facts`: every fact of every cadre's stream, with its effective date as a date, for counting (created by version 5). */
/** One fact of a cadre's stream, as a BI analyst counts it. */
export interface FactRow {
  eventId: string;
  cadreId: string;
  revision: number;
  type: string;
  effectiveAt: LocalDate;
  recordedAt: string;
  /** The unit the cadre sat in on the fact's date. */
  unitId: string | null;
  /** The grade or kind a count groups by (excellent, party/warning, demotion, …). */
  kind: string | null;
  documentRef: string | null;
  actor: string;
  retracted: boolean;
}


/** The rows of a cadre's own facts; `unitOn`: the unit it sat in on a date. */
export function factRows(own: Fact[], cadreId: string, retracted: Set<string>, unitOn: (date: LocalDate) => string | null): FactRow[] {
  return own.map((f) => ({
    eventId: f.metadata.eventId,
    cadreId,
    revision: f.metadata.revision ?? 0,
    type: f.type,
    effectiveAt: f.metadata.effectiveAt,
    recordedAt: f.metadata.recordedAt,
    unitId: unitOn(f.metadata.effectiveAt),
    kind: kindOf(f),
    documentRef: f.metadata.documentRef ?? null,
    actor: f.metadata.actor,
    retracted: retracted.has(f.metadata.eventId),
  }));
}

/** What a count of this fact groups by. */
function kindOf(f: Fact): string | null {
  switch (f.type) {
    case 'AnnualReviewRecorded':
      return f.data.grade;
    case 'CommendationIssued':
      return `${f.data.level}/${f.data.kind}`;
    case 'SanctionImposed':
      return `${f.data.system}/${f.data.kind}`;
    case 'CadreAdjusted':
    case 'TalkHeld':
      return f.data.kind;
    case 'ToleranceDecided':
      return f.data.outcome;
    case 'CadreFindingRecorded':
      return `${f.data.category}/${f.data.kind}`;
    default:
      return null;
  }
}


const unit: Described = ['单位编号(该行日期时所在单位)', 'unit id (the cadre\'s unit on the row\'s date)'];

export const FACTS_COMMENT: TableComment = {
  table: ['干部的每一项事实(决定),按生效日期统计用', 'every fact (decision) about a cadre, for counting by effective date'],
  columns: {
    event_id: ['事件编号', 'event id'],
    cadre_id: cadre,
    revision: ['在干部事件流中的序号', 'position in the cadre\'s stream'],
    type: ['事实类型(如 CautionIssued 诫勉、CadreAdjusted 调整)', 'fact type (e.g. CautionIssued, CadreAdjusted)'],
    effective_at: ['生效日期', 'effective date'],
    recorded_at: ['记入账本的时间', 'when the ledger recorded it'],
    unit_id: unit,
    kind: ['种类或等次(如 excellent、party/warning、demotion)', 'kind or grade (e.g. excellent, party/warning, demotion)'],
    document_ref: ['文号', 'document number (文号)'],
    actor: ['录入者', 'who recorded it'],
    retracted: ['是否已被撤回(录入错误)', 'retracted (a wrong entry)'],
  },
};

export async function insertFacts(client: PoolClient, table: string, facts: readonly FactRow[]): Promise<void> {
  if (facts.length === 0) return;
  await client.query(
    `INSERT INTO ${table} (event_id, cadre_id, revision, type, effective_at, recorded_at, unit_id, kind, document_ref, actor, retracted)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::date[], $6::timestamptz[], $7::text[], $8::text[], $9::text[], $10::text[], $11::boolean[])`,
    columns(facts, ['eventId', 'cadreId', 'revision', 'type', 'effectiveAt', 'recordedAt', 'unitId', 'kind', 'documentRef', 'actor', 'retracted']),
  );
}
