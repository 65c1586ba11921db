import type { Map as ImmutableMap } from 'immutable';
import type { CadreEvent, ToleranceDecided, ToleranceFiled, ToleranceInvestigated, ToleranceNotified, ToleranceRequested } from '../events';
import type { Decided, Recorded } from '../shared/messages';
import { currentStepOf, stepOfEvent, takeStep, withoutStep, type StepTaken } from '../shared/procedure';
import { TOLERANCE_PROCEDURE, type ToleranceStep } from './procedure';
import type { Measure } from './measures';

export interface ToleranceCase {
  caseId: string;
  /** Steps taken so far, in order (TOLERANCE_PROCEDURE); the last one is the case's current step. */
  steps: StepTaken<ToleranceStep>[];
  exclusions: { personalGain: boolean; knowingViolation: boolean; expresslyProhibited: boolean } | null;
  /** The request was retracted: the case no longer exists, but its id stays taken. */
  voided: boolean;
  /** The eventIds the request covers. */
  covers: readonly string[];
}

/** What the tolerance capability keeps of a stream: its 容错纠错 cases. */
export interface ToleranceState {
  toleranceCases: ImmutableMap<string, ToleranceCase>;
  /** eventId of a case step → the case it belongs to. */
  caseOfEvent: ImmutableMap<string, string>;
}

type ToleranceStepEvent = ToleranceRequested | ToleranceInvestigated | ToleranceDecided | ToleranceNotified | ToleranceFiled;

/** A step of a case, as the procedure's description names the step its event takes. */
export function evolveTolerance<S extends ToleranceState>(state: S, event: Decided<ToleranceStepEvent> | Recorded<ToleranceStepEvent>): S {
  const { eventId, effectiveAt } = event.metadata;
  const step = stepOfEvent(TOLERANCE_PROCEDURE, event.type)!;
  const owned = { ...state, caseOfEvent: state.caseOfEvent.set(eventId, event.data.caseId) };
  if (event.type === 'ToleranceRequested') {
    return { ...owned, toleranceCases: state.toleranceCases.set(event.data.caseId, { caseId: event.data.caseId, steps: takeStep([], step, eventId, effectiveAt), exclusions: null, voided: false, covers: event.data.covers }) };
  }
  return withToleranceCase(owned, event.data.caseId, (c) => ({
    ...c,
    steps: takeStep(c.steps, step, eventId, effectiveAt),
    // 三个区分开来: the findings establish the exclusions.
    exclusions: event.type === 'ToleranceInvestigated' ? { personalGain: event.data.personalGain, knowingViolation: event.data.knowingViolation, expresslyProhibited: event.data.expresslyProhibited } : c.exclusions,
  }));
}

/** A retracted step (the latest only: retractEntry) is no longer taken; a retracted request voids the case. */
export function retractToleranceStep<S extends ToleranceState>(state: S, eventId: string, eventType: string): S {
  const toleranceCase = state.toleranceCases.get(state.caseOfEvent.get(eventId) ?? '');
  if (!toleranceCase) return state;
  return withToleranceCase(state, toleranceCase.caseId, (c) => {
    const steps = withoutStep(c.steps, eventId);
    return { ...c, steps, voided: steps.length === 0, exclusions: eventType === 'ToleranceInvestigated' ? null : c.exclusions };
  });
}

/** The case's current step, or null when it does not exist (or its request was retracted). */
export function currentStep(c: ToleranceCase | undefined): ToleranceStep | null {
  return !c || c.voided ? null : currentStepOf(c.steps);
}

function withToleranceCase<S extends ToleranceState>(state: S, caseId: string, change: (c: ToleranceCase) => ToleranceCase): S {
  const current = state.toleranceCases.get(caseId);
  return current ? { ...state, toleranceCases: state.toleranceCases.set(caseId, change(current)) } : state;
}

/** The measure a fact is, when it is one a tolerance case may cover (for the mitigation scales). */
export function measureOf(fact: CadreEvent): Measure | undefined {
  switch (fact.type) {
    case 'SanctionImposed':
      return { system: fact.data.system, kind: fact.data.kind, ...(fact.data.probationMonths ? { probationMonths: fact.data.probationMonths } : {}) };
    case 'CadreAdjusted':
      return { system: 'organizational', kind: fact.data.kind };
    case 'CautionIssued':
      return { system: 'caution' };
    case 'TalkHeld':
      return { system: 'talk', kind: fact.data.kind };
    default:
      return undefined;
  }
}
