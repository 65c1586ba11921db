import { compareText, foldCadre, isUnitFact, unitPostedTo, unitsSatIn, type CadreEvent, type CadreRegistered, type Fact, type LocalDate } from '@cadre-ledger/domain';
import { explain, type EvaluationTime, type Explanation, type RuleBook } from '@cadre-ledger/policy';
import { latestRecordedAt, type Evaluator } from '@cadre-ledger/application';
import type { EligibilityRow } from './eligibility/eligibility';
import { lockRows, type LockRow } from './promotion-locks/promotion-locks';
import { adjustmentCaseRows, toleranceCaseRows, type AdjustmentCaseRow, type ToleranceCaseRow } from './cases/cases';
import { touches, type TouchRow } from './mechanism-touches/mechanism-touches';
import { profileRow, type ProfileRow } from './directory/directory';
import { factRows, type FactRow } from './facts/facts';
import { conflictRows, type ConflictChanges, type ConflictRow } from './promotion-conflicts/promotion-conflicts';

/**
 * The rows one cadre contributes to the read models, computed from its stream (and the facts of its
 * units) by the same `evaluate` the API answers with: one source of truth. Each read model's own
 * row computation is in its folder; this puts one cadre's together. Pure: the projector writes
 * them, the rebuild writes them, and a test can compare the two.
 */
export interface CadreRows {
  cadreId: string;
  eligibility: EligibilityRow;
  locks: LockRow[];
  toleranceCases: ToleranceCaseRow[];
  adjustmentCases: AdjustmentCaseRow[];
  touches: TouchRow[];
  /** The directory's row: the cadre as it stands on `asOf`. */
  profile: ProfileRow;
  /** Every fact of the cadre's stream, for counting by effective date (`reporting.facts`). */
  facts: FactRow[];
  /** Every unit the cadre ever sat in: unit facts of these units can change its verdict. */
  units: string[];
  /** 选人用人 audit: each promotion inside a lock, as everything stored tells it (`promotion_conflicts`). */
  conflicts: ConflictRow[];
  /**
   * What the stream's own record of conflicts (`ConflictDetected`/`ConflictResolved`) lacks: pairs
   * that hold and are not open there, open pairs that no longer hold. The conflict detector's to
   * append (libs/clock; not a table).
   */
  conflictChanges: ConflictChanges;
}

/**
 * `history`: the cadre's stream and its units' assessments, as stored (any order). The verdict is
 * as of `asOf`, as known at the latest `recordedAt` in the history: everything stored, and the same
 * answer whenever it is computed, so a rebuild reproduces the incremental tables exactly.
 */
export function cadreRows(ruleBook: RuleBook, history: readonly Fact[], asOf: LocalDate, computed?: Explanation): CadreRows | null {
  const own = history.filter((f) => !isUnitFact(f));
  const registration = own.find((f) => f.type === 'CadreRegistered') as Fact<CadreRegistered> | undefined;
  if (!registration) return null;
  const retracted = new Set(own.flatMap((f) => (f.type === 'EntryRetracted' ? [f.data.eventId] : [])));
  const live = own
    .filter((f) => !retracted.has(f.metadata.eventId) && f.type !== 'EntryRetracted')
    .sort((a, b) => compareText(a.metadata.effectiveAt, b.metadata.effectiveAt) || (a.metadata.revision ?? 0) - (b.metadata.revision ?? 0));
  const unitOn = unitTimeline(live);
  const explanation = computed ?? explain(ruleBook, history, rowsTime(history, asOf));
  const { verdict } = explanation;
  const state = foldCadre(own as Fact<CadreEvent>[]);
  const cadreId = registration.data.cadreId;
  const unitId = unitOn(asOf) ?? registration.data.unitId;
  const untils = verdict.locks.map((l) => l.until).filter((u): u is string => u !== null).sort(compareText);
  const revision = Math.max(...own.map((f) => f.metadata.revision ?? 0));
  return {
    cadreId,
    eligibility: {
      cadreId,
      unitId,
      jurisdiction: registration.data.jurisdiction,
      asOf,
      promotable: verdict.promotable,
      nextLockEnd: untils[0] ?? null,
      verdict,
      revision,
    },
    locks: lockRows(verdict, cadreId, unitId),
    toleranceCases: toleranceCaseRows(live, cadreId, unitId, asOf),
    adjustmentCases: adjustmentCaseRows(live, cadreId, unitId, asOf),
    touches: touches(live, cadreId, unitOn, asOf),
    profile: profileRow(history, state, registration, unitId, asOf, revision),
    facts: factRows(own, cadreId, retracted, unitOn),
    units: unitsSatIn(live).sort(compareText),
    ...conflictRows(ruleBook, history, rowsTime(history, asOf).knownAt, state, unitOn, registration.data.unitId),
  };
}

/** The (asOf, knownAt) a cadre's rows are computed at: as of `asOf`, knowing everything stored. */
export function rowsTime(history: readonly Fact[], asOf: LocalDate): EvaluationTime {
  const fallback = history.length === 0 ? '1970-01-01T00:00:00Z' : history[0].metadata.recordedAt;
  return { asOf, knownAt: latestRecordedAt(history, fallback) };
}

/** The rows of one cadre, the verdict computed by `evaluator` (off the event loop for long histories). */
export async function cadreRowsWith(evaluator: Evaluator | undefined, ruleBook: RuleBook, history: readonly Fact[], asOf: LocalDate): Promise<CadreRows | null> {
  if (!evaluator || !history.some((f) => f.type === 'CadreRegistered')) return cadreRows(ruleBook, history, asOf);
  return cadreRows(ruleBook, history, asOf, await evaluator.explain(history, rowsTime(history, asOf)));
}

/** The unit the cadre sat in on a date, from registration and transfers in effective order. */
function unitTimeline(live: Fact[]): (date: LocalDate) => string | null {
  const postings = live.flatMap((f) => {
    const unitId = unitPostedTo(f);
    return unitId === undefined ? [] : [{ at: f.metadata.effectiveAt, unitId }];
  });
  return (date) => {
    let unit: string | null = null;
    for (const p of postings) if (p.at <= date) unit = p.unitId;
    return unit;
  };
}
