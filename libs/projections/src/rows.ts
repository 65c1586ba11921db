import {
  compareText,
  conflictKey,
  foldCadre,
  isUnitFact,
  placementOn,
  type CadreEvent,
  type Position,
  type UnitRegistered,
  type CadreRegistered,
  type Fact,
  type LocalDate,
  type ToleranceStep,
  type AdjustmentCaseStep,
  type CadreState,
  type Procedure,
  type ToleranceRequested,
  type ToleranceDecided,
  type AdjustmentReported,
  type AdjustmentApproved,
  TOLERANCE_PROCEDURE,
  ADJUSTMENT_PROCEDURE,
  casesAsOf,
  finalStep,
} from '@cadre-ledger/domain';
import { pinyin } from 'pinyin-pro';
import { explain, promotionConflicts, type EvaluationTime, type Explanation, type PromotionConflict, type RuleBook, type Verdict, type VerdictLock } from '@cadre-ledger/policy';
import { latestRecordedAt, type Evaluator } from '@cadre-ledger/application';

/**
 * The rows one cadre contributes to the read models, computed from its stream (and the unit
 * assessments of its units) by the same `evaluate` the API answers with: one source of truth.
 * Pure: the projector writes them, the rebuild writes them, and a test can compare the two.
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
   * append (not a table).
   */
  conflictChanges: ConflictChanges;
}

/** One (promotion, lock) pair of the 选人用人 audit: the lock, and the promotion inside it. `unitId`: the cadre's unit on the promotion's date. */
export interface ConflictRow extends LockRow {
  promotionEventId: string;
  promotedOn: LocalDate;
  promotionRecordedAt: string;
  citation: VerdictLock['citation'];
  knownAtPromotion: boolean;
  lockRecordedAt: string;
}

export interface ConflictChanges {
  /** Pairs to detect, each with the occurrence its detection will be. */
  detect: (PromotionConflict & { occurrence: number })[];
  /** Open pairs that no longer hold. */
  resolve: { promotionEventId: string; lockId: string; ruleId: string; occurrence: number }[];
}

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

/** One line of the directory (`cadres`): who the cadre is and where it sits on the rows' date. */
export interface ProfileRow {
  cadreId: string;
  name: string;
  unitId: string;
  jurisdiction: string;
  position: Position | null;
  managedBy: string | null;
  /** The date of the posting the position comes from. */
  positionSince: LocalDate;
  registeredOn: LocalDate;
  revision: number;
  /** Full pinyin and initials of the name (the directory's `q`): 赵文清 → zhaowenqing, zwq. */
  namePinyin: string;
  nameInitials: string;
  /** The unit's registered name, when it was registered. */
  unitName: string | null;
}

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

/** One registered unit (`units`). */
export interface UnitRow {
  unitId: string;
  name: string;
  level: string;
  parentUnitId: string | null;
  jurisdiction: string;
  registeredOn: LocalDate;
}

/** The directory row of a unit, from its registration (units are registered once). */
export function unitRow(registration: Fact<UnitRegistered>): UnitRow {
  const { unitId, name, level, parentUnitId, jurisdiction } = registration.data;
  return { unitId, name, level, parentUnitId: parentUnitId ?? null, jurisdiction, registeredOn: registration.metadata.effectiveAt };
}

export interface LockRow {
  cadreId: string;
  unitId: string;
  lockId: string;
  kind: string;
  ruleId: string;
  from: LocalDate;
  until: LocalDate | null;
  sourceEventId: string;
}

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

/** A person touched by a mechanism in a year, in the unit it sat in then (安康's counting). */
export interface TouchRow {
  cadreId: string;
  year: number;
  unitId: string;
  mechanism: 'incentive' | 'tolerance' | 'adjustment';
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
    locks: verdict.locks.map((l) => ({
      cadreId,
      unitId,
      lockId: l.lockId,
      kind: l.kind,
      ruleId: l.ruleId,
      from: l.from,
      until: l.until,
      sourceEventId: l.sourceEventId,
    })),
    toleranceCases: toleranceCaseRows(live, cadreId, unitId, asOf),
    adjustmentCases: adjustmentCaseRows(live, cadreId, unitId, asOf),
    touches: touches(live, cadreId, unitOn, asOf),
    profile: profileRow(history, state, registration, unitId, asOf, revision),
    facts: factRows(own, cadreId, retracted, unitOn),
    units: [...new Set(live.flatMap((f) => (f.type === 'CadreRegistered' || f.type === 'CadreTransferred' ? [f.data.unitId] : [])))].sort(compareText),
    ...conflictRows(ruleBook, history, rowsTime(history, asOf).knownAt, state, unitOn, registration.data.unitId),
  };
}

/** The audit's pairs as everything stored tells them, and what the stream's record of them lacks. */
function conflictRows(
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

/** The cadre's posting on `asOf` (the domain's own fold: promotions and adjustments stay in their unit). */
function profileRow(history: readonly Fact[], state: CadreState, registration: Fact<CadreRegistered>, unitId: string, asOf: LocalDate, revision: number): ProfileRow {
  const placement = state.registered ? (placementOn(state, asOf) ?? placementOn(state, null)) : null;
  const name = state.registered ? state.name : registration.data.name;
  const at = placement?.unitId || unitId;
  const unitRegistration = history.find((f): f is Fact<UnitRegistered> => f.type === 'UnitRegistered' && f.data.unitId === at);
  return {
    cadreId: registration.data.cadreId,
    name,
    ...namePinyin(name),
    unitName: unitRegistration?.data.name ?? null,
    unitId: at,
    jurisdiction: registration.data.jurisdiction,
    position: placement?.position ?? null,
    managedBy: placement?.managedBy ?? null,
    positionSince: placement?.effectiveAt ?? registration.metadata.effectiveAt,
    registeredOn: registration.metadata.effectiveAt,
    revision,
  };
}

/** 赵文清 → zhaowenqing / zwq; surnames read as surnames (单 shan, 曾 zeng, 解 xie, 仇 qiu), ü as v. */
export function namePinyin(name: string): { namePinyin: string; nameInitials: string } {
  const options = { toneType: 'none', type: 'array', surname: 'head', v: true, nonZh: 'consecutive' } as const;
  const clean = (parts: string[]) => parts.join('').toLowerCase().replace(/[^a-z0-9]/g, '');
  return { namePinyin: clean(pinyin(name, options)), nameInitials: clean(pinyin(name, { ...options, pattern: 'first' })) };
}

function factRows(own: Fact[], cadreId: string, retracted: Set<string>, unitOn: (date: LocalDate) => string | null): FactRow[] {
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

/** The unit the cadre sat in on a date, from registration and transfers in effective order. */
function unitTimeline(live: Fact[]): (date: LocalDate) => string | null {
  const postings = live.flatMap((f) =>
    f.type === 'CadreRegistered' || f.type === 'CadreTransferred' ? [{ at: f.metadata.effectiveAt, unitId: f.data.unitId }] : [],
  );
  return (date) => {
    let unit: string | null = null;
    for (const p of postings) if (p.at <= date) unit = p.unitId;
    return unit;
  };
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

function touches(live: Fact[], cadreId: string, unitOn: (d: LocalDate) => string | null, asOf: LocalDate): TouchRow[] {
  const rows = new Map<string, TouchRow>();
  const touch = (f: Fact, mechanism: TouchRow['mechanism']) => {
    const at = f.metadata.effectiveAt;
    const unitId = unitOn(at);
    if (at > asOf || unitId === null) return;
    const row = { cadreId, year: Number(at.slice(0, 4)), unitId, mechanism };
    rows.set(`${row.year}|${unitId}|${mechanism}`, row);
  };
  for (const f of live) {
    if (f.type === 'CommendationIssued' || (f.type === 'AnnualReviewRecorded' && f.data.grade === 'excellent')) touch(f, 'incentive');
    if (f.type === 'ToleranceDecided' && f.data.outcome !== 'rejected') touch(f, 'tolerance');
    if (f.type === 'CadreAdjusted') touch(f, 'adjustment');
  }
  return [...rows.values()].sort((a, b) => a.year - b.year || compareText(a.unitId, b.unitId) || compareText(a.mechanism, b.mechanism));
}

function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000));
}
