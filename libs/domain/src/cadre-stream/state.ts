import { Map as ImmutableMap, OrderedMap, Set as ImmutableSet } from 'immutable';
import type { CadreEvent } from '../events';
import type { Decided, Recorded } from '../shared/messages';
import type { LocalDate } from '../shared/local-date';
import type { AdjustmentKind, ManagedBy, Position } from '../shared/vocabulary';
import { assertNever } from '../shared/assert-never';
import type { Measure } from '../tolerance/measures';

/**
 * A posting: where the cadre sits from `effectiveAt` on (registration, transfer, promotion,
 * adjustment). Promotions and adjustments stay in the unit the cadre is in on their own date
 * (`unitId: null` here), which `currentPlacement` works out in effective-date order, so that a
 * backdated or retracted transfer moves every later posting with it.
 */
export interface Placement {
  eventId: string;
  effectiveAt: LocalDate;
  unitId: string | null;
  position: Position | null;
  /** 干部管理权限 named by this posting, if any; later postings without one keep the earlier. */
  managedBy?: ManagedBy;
  /** Stream order, to break ties between placements effective on the same day. */
  order: number;
}

export interface Entry {
  type: CadreEvent['type'];
  effectiveAt: LocalDate;
  retracted: boolean;
  /** For sanctions, cautions, talks and adjustments: the measure, for the mitigation scales. */
  measure?: Measure;
}

function withManagedBy(placement: Placement, managedBy: ManagedBy | undefined): Placement {
  return managedBy ? { ...placement, managedBy } : placement;
}

function withMeasure(entry: Entry, event: AnyCadreEvent): Entry {
  const measure = measureOf(event);
  return measure ? { ...entry, measure } : entry;
}

/** The measure a fact is, when it is one a tolerance case may cover. */
function measureOf(event: AnyCadreEvent): Measure | undefined {
  switch (event.type) {
    case 'SanctionImposed':
      return { system: event.data.system, kind: event.data.kind, ...(event.data.probationMonths ? { probationMonths: event.data.probationMonths } : {}) };
    case 'CadreAdjusted':
      return { system: 'organizational', kind: event.data.kind };
    case 'CautionIssued':
      return { system: 'caution' };
    case 'TalkHeld':
      return { system: 'talk', kind: event.data.kind };
    default:
      return undefined;
  }
}

/** 提出申请 → 调查核实 → 认定结论 → 结果反馈 → 资料报备 (陕西 容错纠错办法 第八条). */
export const TOLERANCE_STEPS = ['requested', 'investigated', 'decided', 'notified', 'filed'] as const;
export type ToleranceStep = (typeof TOLERANCE_STEPS)[number];

export interface ToleranceCase {
  caseId: string;
  /** Steps taken so far, in order; the last one is the case's current step. */
  steps: { step: ToleranceStep; eventId: string; effectiveAt: LocalDate }[];
  exclusions: { personalGain: boolean; knowingViolation: boolean; expresslyProhibited: boolean } | null;
  /** The request was retracted: the case no longer exists, but its id stays taken. */
  voided: boolean;
  /** The eventIds the request covers. */
  covers: readonly string[];
}

/** 报告 → 审核 → 报批 → 决定 → 谈话 (陕西 能上能下办法 第十五条). */
export const ADJUSTMENT_CASE_STEPS = ['reported', 'reviewed', 'approved', 'decided', 'talked'] as const;
export type AdjustmentCaseStep = (typeof ADJUSTMENT_CASE_STEPS)[number];

export interface AdjustmentCase {
  caseId: string;
  /** The review triggers (rule ids) the case answers. */
  triggers: readonly string[];
  proposedKind: AdjustmentKind;
  steps: { step: AdjustmentCaseStep; eventId: string; effectiveAt: LocalDate }[];
  /** From the review: was the cadre's own account heard? */
  cadreStatementHeard: boolean | null;
  /** From the approval: null before it; false closes the case (recorded, not adjusted). */
  approved: boolean | null;
  approvedKind: AdjustmentKind | null;
}

export interface Investigation {
  caseId: string;
  openedBy: string;
  openedOn: LocalDate;
  closedBy: string | null;
  voided: boolean;
}

/**
 * The collections are persistent (Immutable.js): `evolve` returns a new state that shares all but
 * the changed path with the old one, so folding a stream is linear in its length (a copied Map per
 * event made it quadratic: 8,000 events took seconds) and every earlier state stays valid.
 */
export interface RegisteredCadre {
  registered: true;
  cadreId: string;
  name: string;
  jurisdiction: string;
  /** By eventId, in stream order. */
  placements: OrderedMap<string, Placement>;
  entries: ImmutableMap<string, Entry>;
  /** Annual review year → eventId of the review standing for it. */
  reviewYears: ImmutableMap<number, string>;
  investigations: ImmutableMap<string, Investigation>;
  toleranceCases: ImmutableMap<string, ToleranceCase>;
  adjustmentCases: ImmutableMap<string, AdjustmentCase>;
  /** eventId of a case step or an investigation's opening/closure → the case it belongs to. */
  caseOfEvent: ImmutableMap<string, string>;
  /** lockIds for which `InfluencePeriodEnded` is already recorded. */
  periodsEnded: ImmutableSet<string>;
  /** 选人用人 audit: `conflictKey(promotionEventId, lockId)` → the pair's last detection and whether it stands. */
  conflicts: ImmutableMap<string, { occurrence: number; open: boolean }>;
  /** Number of events folded; the stream revision is this minus one. */
  length: number;
}

export type CadreState = { registered: false; length: number } | RegisteredCadre;

export const initialCadreState = (): CadreState => ({ registered: false, length: 0 });

/** The key of a (promotion, lock) pair of the 选人用人 audit. */
export const conflictKey = (promotionEventId: string, lockId: string): string => `${promotionEventId} ${lockId}`;

type AnyCadreEvent = Decided<CadreEvent> | Recorded<CadreEvent>;

/** The placement in force: the latest by effective date, then by stream order, with its unit and management level. */
export function currentPlacement(state: RegisteredCadre): Placement & { unitId: string } {
  // A registered cadre has its registration's placement at least (it cannot be retracted).
  return placementOn(state, null)!;
}


/** The placement in force on `date` (null: before the first; `date` null: ignore dates). */
export function placementOn(state: RegisteredCadre, date: LocalDate | null): (Placement & { unitId: string }) | null {
  const ordered = [...state.placements.values()].filter((p) => date === null || p.effectiveAt <= date).sort((a, b) => (a.effectiveAt === b.effectiveAt ? a.order - b.order : a.effectiveAt < b.effectiveAt ? -1 : 1));
  if (ordered.length === 0) return null;
  let unitId = ordered[0].unitId ?? '';
  let managedBy: ManagedBy | undefined;
  for (const p of ordered) {
    unitId = p.unitId ?? unitId;
    managedBy = p.managedBy ?? managedBy;
  }
  const last = ordered[ordered.length - 1];
  const { managedBy: _own, ...rest } = last;
  return { ...rest, unitId, ...(managedBy ? { managedBy } : {}) };
}

export function evolve(state: CadreState, event: AnyCadreEvent): CadreState {
  const { eventId, effectiveAt } = event.metadata;
  if (event.type === 'CadreRegistered') {
    const { cadreId, name, jurisdiction, unitId, position } = event.data;
    return {
      registered: true,
      cadreId,
      name,
      jurisdiction,
      placements: OrderedMap([[eventId, withManagedBy({ eventId, effectiveAt, unitId, position, order: state.length }, event.data.managedBy)]]),
      entries: ImmutableMap([[eventId, { type: event.type, effectiveAt, retracted: false }]]),
      reviewYears: ImmutableMap(),
      investigations: ImmutableMap(),
      toleranceCases: ImmutableMap(),
      adjustmentCases: ImmutableMap(),
      caseOfEvent: ImmutableMap(),
      periodsEnded: ImmutableSet(),
      conflicts: ImmutableMap(),
      length: state.length + 1,
    };
  }
  if (!state.registered) return { ...state, length: state.length + 1 };

  const next: RegisteredCadre = {
    ...state,
    entries: state.entries.set(eventId, withMeasure({ type: event.type, effectiveAt, retracted: false }, event)),
    length: state.length + 1,
  };
  const place = (unitId: string | null, position: Position | null, managedBy?: ManagedBy): OrderedMap<string, Placement> =>
    state.placements.set(eventId, withManagedBy({ eventId, effectiveAt, unitId, position, order: state.length }, managedBy));
  switch (event.type) {
    case 'CadreTransferred':
      return { ...next, placements: place(event.data.unitId, event.data.position, event.data.managedBy) };
    case 'CadrePromoted':
      return { ...next, placements: place(null, event.data.newPosition, event.data.managedBy) };
    case 'CadreAdjusted': {
      // 免职 leaves the cadre without a post in the unit; the other adjustments name the new post.
      const placed = { ...next, placements: place(null, event.data.newPosition ?? null, event.data.managedBy) };
      return event.data.caseId === undefined ? placed : withAdjustmentStep(placed, event.data.caseId, 'decided', eventId, effectiveAt);
    }
    case 'AdjustmentReported':
      return {
        ...next,
        caseOfEvent: state.caseOfEvent.set(eventId, event.data.caseId),
        adjustmentCases: state.adjustmentCases.set(event.data.caseId, {
          caseId: event.data.caseId,
          triggers: event.data.triggers,
          proposedKind: event.data.report.proposedKind,
          steps: [{ step: 'reported', eventId, effectiveAt }],
          cadreStatementHeard: null,
          approved: null,
          approvedKind: null,
        }),
      };
    case 'AdjustmentReviewed':
      return withAdjustmentCase(withAdjustmentStep(next, event.data.caseId, 'reviewed', eventId, effectiveAt), event.data.caseId, (c) => ({ ...c, cadreStatementHeard: event.data.cadreStatementHeard }));
    case 'AdjustmentApproved':
      return withAdjustmentCase(withAdjustmentStep(next, event.data.caseId, 'approved', eventId, effectiveAt), event.data.caseId, (c) => ({
        ...c,
        approved: event.data.approved,
        approvedKind: event.data.approved ? (event.data.kind ?? c.proposedKind) : null,
      }));
    case 'AdjustmentTalkHeld':
      return withAdjustmentStep(next, event.data.caseId, 'talked', eventId, effectiveAt);
    case 'AnnualReviewRecorded':
      return { ...next, reviewYears: state.reviewYears.set(event.data.year, eventId) };
    case 'InvestigationOpened':
      return {
        ...next,
        caseOfEvent: state.caseOfEvent.set(eventId, event.data.caseId),
        investigations: state.investigations.set(event.data.caseId, {
          caseId: event.data.caseId,
          openedBy: eventId,
          openedOn: effectiveAt,
          closedBy: null,
          voided: false,
        }),
      };
    case 'InvestigationClosed':
      return withInvestigation({ ...next, caseOfEvent: state.caseOfEvent.set(eventId, event.data.caseId) }, event.data.caseId, (i) => ({ ...i, closedBy: eventId }));
    case 'ToleranceRequested':
      return {
        ...next,
        caseOfEvent: state.caseOfEvent.set(eventId, event.data.caseId),
        toleranceCases: state.toleranceCases.set(event.data.caseId, {
          caseId: event.data.caseId,
          steps: [{ step: 'requested', eventId, effectiveAt }],
          exclusions: null,
          voided: false,
          covers: event.data.covers,
        }),
      };
    case 'ToleranceInvestigated': {
      const { personalGain, knowingViolation, expresslyProhibited } = event.data;
      return withToleranceCase({ ...next, caseOfEvent: state.caseOfEvent.set(eventId, event.data.caseId) }, event.data.caseId, (c) => ({
        ...c,
        steps: [...c.steps, { step: 'investigated', eventId, effectiveAt }],
        exclusions: { personalGain, knowingViolation, expresslyProhibited },
      }));
    }
    case 'ToleranceDecided':
      return withToleranceStep(next, event.data.caseId, 'decided', eventId, effectiveAt);
    case 'ToleranceNotified':
      return withToleranceStep(next, event.data.caseId, 'notified', eventId, effectiveAt);
    case 'ToleranceFiled':
      return withToleranceStep(next, event.data.caseId, 'filed', eventId, effectiveAt);
    case 'InfluencePeriodEnded':
      return { ...next, periodsEnded: state.periodsEnded.add(event.data.lockId) };
    case 'ConflictDetected':
      return { ...next, conflicts: state.conflicts.set(conflictKey(event.data.promotionEventId, event.data.lockId), { occurrence: event.data.occurrence, open: true }) };
    case 'ConflictResolved':
      return { ...next, conflicts: state.conflicts.set(conflictKey(event.data.promotionEventId, event.data.lockId), { occurrence: event.data.occurrence, open: false }) };
    case 'EntryRetracted':
      return retract(next, event.data.eventId);
    case 'CommendationIssued':
    case 'CautionIssued':
    case 'TalkHeld':
    case 'SanctionImposed':
    case 'AllegationCleared':
    case 'CadreFindingRecorded':
      return next;
    default:
      return assertNever(event);
  }
}

/**
 * The same state as `events.reduce(evolve, initialCadreState())`, built faster: while folding from
 * scratch nobody else holds the intermediate states, so the collections are mutated in place
 * (Immutable.js transients: `set` on a mutable collection changes it and returns it, so `evolve`
 * runs unchanged) and frozen again at the end.
 */
export function foldCadreStream(events: readonly AnyCadreEvent[]): CadreState {
  let state = initialCadreState();
  let transient = false;
  for (const event of events) {
    const wasRegistered = state.registered;
    state = evolve(state, event);
    if (state.registered && (!transient || !wasRegistered || event.type === 'CadreRegistered')) {
      state = withCollections(state, (c) => c.asMutable());
      transient = true;
    }
  }
  return state.registered && transient ? withCollections(state, (c) => c.asImmutable()) : state;
}

type Collection = { asMutable(): Collection; asImmutable(): Collection };

function withCollections(state: RegisteredCadre, change: (c: Collection) => Collection): RegisteredCadre {
  const c = <T>(collection: T) => change(collection as unknown as Collection) as unknown as T;
  return {
    ...state,
    placements: c(state.placements),
    entries: c(state.entries),
    reviewYears: c(state.reviewYears),
    investigations: c(state.investigations),
    toleranceCases: c(state.toleranceCases),
    adjustmentCases: c(state.adjustmentCases),
    caseOfEvent: c(state.caseOfEvent),
    periodsEnded: c(state.periodsEnded),
    conflicts: c(state.conflicts),
  };
}

/** Undo what the retracted entry did to the decision state; history itself keeps it. */
function retract(state: RegisteredCadre, targetId: string): RegisteredCadre {
  const target = state.entries.get(targetId);
  if (!target) return state;
  const next = { ...state, entries: state.entries.set(targetId, { ...target, retracted: true }) };
  const caseId = state.caseOfEvent.get(targetId);
  switch (target.type) {
    case 'AnnualReviewRecorded': {
      const reviewYears = state.reviewYears.filter((id) => id !== targetId);
      return { ...next, reviewYears };
    }
    case 'InvestigationOpened':
    case 'InvestigationClosed': {
      const investigation = caseId === undefined ? undefined : state.investigations.get(caseId);
      if (!investigation) return next;
      return withInvestigation(next, investigation.caseId, (i) =>
        i.openedBy === targetId ? { ...i, voided: true } : { ...i, closedBy: null },
      );
    }
    case 'ToleranceRequested':
    case 'ToleranceInvestigated':
    case 'ToleranceDecided':
    case 'ToleranceNotified':
    case 'ToleranceFiled': {
      const toleranceCase = caseId === undefined ? undefined : state.toleranceCases.get(caseId);
      if (!toleranceCase) return next;
      return withToleranceCase(next, toleranceCase.caseId, (c) => {
        const steps = c.steps.filter((s) => s.eventId !== targetId);
        return {
          ...c,
          steps,
          voided: steps.length === 0,
          exclusions: target.type === 'ToleranceInvestigated' ? null : c.exclusions,
        };
      });
    }
    case 'CadreTransferred':
    case 'CadrePromoted':
      return { ...next, placements: state.placements.delete(targetId) };
    case 'CadreAdjusted':
    case 'AdjustmentReported':
    case 'AdjustmentReviewed':
    case 'AdjustmentApproved':
    case 'AdjustmentTalkHeld': {
      const unplaced = target.type === 'CadreAdjusted' ? { ...next, placements: state.placements.delete(targetId) } : next;
      if (caseId === undefined) return unplaced;
      // Only a case's latest step may be retracted (retractEntry): drop it, and what it had set.
      return withAdjustmentCase(unplaced, caseId, (c) => ({
        ...c,
        steps: c.steps.filter((s) => s.eventId !== targetId),
        cadreStatementHeard: target.type === 'AdjustmentReviewed' ? null : c.cadreStatementHeard,
        approved: target.type === 'AdjustmentApproved' ? null : c.approved,
        approvedKind: target.type === 'AdjustmentApproved' ? null : c.approvedKind,
      }));
    }
    default:
      return next;
  }
}

function withAdjustmentCase(state: RegisteredCadre, caseId: string, change: (c: AdjustmentCase) => AdjustmentCase): RegisteredCadre {
  const current = state.adjustmentCases.get(caseId);
  if (!current) return state;
  return { ...state, adjustmentCases: state.adjustmentCases.set(caseId, change(current)) };
}

function withAdjustmentStep(state: RegisteredCadre, caseId: string, step: AdjustmentCaseStep, eventId: string, effectiveAt: LocalDate): RegisteredCadre {
  const owned = { ...state, caseOfEvent: state.caseOfEvent.set(eventId, caseId) };
  return withAdjustmentCase(owned, caseId, (c) => ({ ...c, steps: [...c.steps, { step, eventId, effectiveAt }] }));
}

/** The step an adjustment case is at (null: no such case, or its report was retracted). */
export function adjustmentStep(c: AdjustmentCase | undefined): AdjustmentCaseStep | null {
  return !c || c.steps.length === 0 ? null : c.steps[c.steps.length - 1].step;
}

function withInvestigation(
  state: RegisteredCadre,
  caseId: string,
  change: (i: Investigation) => Investigation,
): RegisteredCadre {
  const current = state.investigations.get(caseId);
  if (!current) return state;
  return { ...state, investigations: state.investigations.set(caseId, change(current)) };
}

function withToleranceCase(
  state: RegisteredCadre,
  caseId: string,
  change: (c: ToleranceCase) => ToleranceCase,
): RegisteredCadre {
  const current = state.toleranceCases.get(caseId);
  if (!current) return state;
  return { ...state, toleranceCases: state.toleranceCases.set(caseId, change(current)) };
}

function withToleranceStep(
  state: RegisteredCadre,
  caseId: string,
  step: ToleranceStep,
  eventId: string,
  effectiveAt: LocalDate,
): RegisteredCadre {
  const owned = { ...state, caseOfEvent: state.caseOfEvent.set(eventId, caseId) };
  return withToleranceCase(owned, caseId, (c) => ({ ...c, steps: [...c.steps, { step, eventId, effectiveAt }] }));
}

/** The case's current step, or null when it does not exist (or its request was retracted). */
export function currentStep(c: ToleranceCase | undefined): ToleranceStep | null {
  if (!c || c.voided || c.steps.length === 0) return null;
  return c.steps[c.steps.length - 1].step;
}
