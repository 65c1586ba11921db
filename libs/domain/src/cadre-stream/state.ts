import { Map as ImmutableMap, OrderedMap, Set as ImmutableSet } from 'immutable';
import type { CadreEvent, CadreRegistered } from '../events';
import type { Decided, Recorded } from '../shared/messages';
import type { LocalDate } from '../shared/local-date';
import { assertNever } from '../shared/assert-never';
import { evolveMarks, evolvePlacements, placementOf, unplace, type CadresState } from '../cadres/state';
import { evolveIncentives, retractReview, type IncentivesState } from '../incentives/state';
import { evolveInvestigations, retractInvestigationStep, type AccountabilityState } from '../accountability/state';
import { evolveTolerance, measureOf, retractToleranceStep, type ToleranceState } from '../tolerance/state';
import { evolveAdjustments, retractAdjustmentStep, type AdjustmentsState } from '../adjustments/state';
import type { Measure } from '../tolerance/measures';

/** Every fact of the stream, for the checks that name one (covers, retractions, clock marks). */
export interface Entry {
  type: CadreEvent['type'];
  effectiveAt: LocalDate;
  retracted: boolean;
  /** For sanctions, cautions, talks and adjustments: the measure, for the mitigation scales. */
  measure?: Measure;
}

/**
 * A registered cadre's stream, folded: who the cadre is, every entry, and each capability's own
 * part (cadres/state.ts, incentives/state.ts, accountability/state.ts, tolerance/state.ts,
 * adjustments/state.ts), each evolved and retracted by its capability. The collections are
 * persistent (Immutable.js): `evolve` returns a new state that shares all but the changed path with
 * the old one, so folding a stream is linear in its length and every earlier state stays valid.
 */
export interface RegisteredCadre extends CadresState, IncentivesState, AccountabilityState, ToleranceState, AdjustmentsState {
  registered: true;
  cadreId: string;
  name: string;
  jurisdiction: string;
  entries: ImmutableMap<string, Entry>;
  /** Number of events folded; the stream revision is this minus one. */
  length: number;
}

export type CadreState = { registered: false; length: number } | RegisteredCadre;

export const initialCadreState = (): CadreState => ({ registered: false, length: 0 });

type AnyCadreEvent = Decided<CadreEvent> | Recorded<CadreEvent>;

function registered(state: CadreState, event: Decided<CadreRegistered> | Recorded<CadreRegistered>): RegisteredCadre {
  const { eventId, effectiveAt } = event.metadata;
  const { cadreId, name, jurisdiction, unitId, position, managedBy } = event.data;
  return {
    registered: true,
    cadreId,
    name,
    jurisdiction,
    placements: OrderedMap([[eventId, placementOf(eventId, effectiveAt, unitId, position, state.length, managedBy)]]),
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

export function evolve(state: CadreState, event: AnyCadreEvent): CadreState {
  if (event.type === 'CadreRegistered') return registered(state, event);
  if (!state.registered) return { ...state, length: state.length + 1 };
  const { eventId, effectiveAt } = event.metadata;
  const measure = measureOf(event);
  const next: RegisteredCadre = {
    ...state,
    entries: state.entries.set(eventId, { type: event.type, effectiveAt, retracted: false, ...(measure ? { measure } : {}) }),
    length: state.length + 1,
  };
  switch (event.type) {
    case 'CadreTransferred':
    case 'CadrePromoted':
      return evolvePlacements(next, event, state.length);
    case 'CadreAdjusted':
      return evolveAdjustments(evolvePlacements(next, event, state.length), event);
    case 'AdjustmentReported':
    case 'AdjustmentReviewed':
    case 'AdjustmentApproved':
    case 'AdjustmentTalkHeld':
      return evolveAdjustments(next, event);
    case 'AnnualReviewRecorded':
      return evolveIncentives(next, event);
    case 'InvestigationOpened':
    case 'InvestigationClosed':
      return evolveInvestigations(next, event);
    case 'ToleranceRequested':
    case 'ToleranceInvestigated':
    case 'ToleranceDecided':
    case 'ToleranceNotified':
    case 'ToleranceFiled':
      return evolveTolerance(next, event);
    case 'InfluencePeriodEnded':
    case 'ConflictDetected':
    case 'ConflictResolved':
      return evolveMarks(next, event);
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

/** Undo what the retracted entry did to the decision state, by the capability that owns it; history itself keeps it. */
function retract(state: RegisteredCadre, targetId: string): RegisteredCadre {
  const target = state.entries.get(targetId);
  if (!target) return state;
  const next = { ...state, entries: state.entries.set(targetId, { ...target, retracted: true }) };
  switch (target.type) {
    case 'AnnualReviewRecorded':
      return retractReview(next, targetId);
    case 'InvestigationOpened':
    case 'InvestigationClosed':
      return retractInvestigationStep(next, targetId);
    case 'ToleranceRequested':
    case 'ToleranceInvestigated':
    case 'ToleranceDecided':
    case 'ToleranceNotified':
    case 'ToleranceFiled':
      return retractToleranceStep(next, targetId, target.type);
    case 'CadreTransferred':
    case 'CadrePromoted':
      return unplace(next, targetId);
    case 'CadreAdjusted':
      return retractAdjustmentStep(unplace(next, targetId), targetId, target.type);
    case 'AdjustmentReported':
    case 'AdjustmentReviewed':
    case 'AdjustmentApproved':
    case 'AdjustmentTalkHeld':
      return retractAdjustmentStep(next, targetId, target.type);
    default:
      return next;
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
