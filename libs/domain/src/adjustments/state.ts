import type { Map as ImmutableMap } from 'immutable';
import type { AdjustmentApproved, AdjustmentReported, AdjustmentReviewed, AdjustmentTalkHeld, CadreAdjusted } from '../events';
import type { Decided, Recorded } from '../shared/messages';
import type { AdjustmentKind } from '../shared/vocabulary';
import { currentStepOf, stepOfEvent, takeStep, withoutStep, type StepTaken } from '../shared/procedure';
import { ADJUSTMENT_PROCEDURE, type AdjustmentCaseStep } from './procedure';

export interface AdjustmentCase {
  caseId: string;
  /** The review triggers (rule ids) the case answers. */
  triggers: readonly string[];
  proposedKind: AdjustmentKind;
  /** Steps taken so far, in order (ADJUSTMENT_PROCEDURE). */
  steps: StepTaken<AdjustmentCaseStep>[];
  /** From the review: was the cadre's own account heard? */
  cadreStatementHeard: boolean | null;
  /** From the approval: null before it; false closes the case (recorded, not adjusted). */
  approved: boolean | null;
  approvedKind: AdjustmentKind | null;
}

/** What the adjustments capability keeps of a stream: its 第十五条 cases. */
export interface AdjustmentsState {
  adjustmentCases: ImmutableMap<string, AdjustmentCase>;
  /** eventId of a case step → the case it belongs to. */
  caseOfEvent: ImmutableMap<string, string>;
}

type AdjustmentStepEvent = AdjustmentReported | AdjustmentReviewed | AdjustmentApproved | CadreAdjusted | AdjustmentTalkHeld;

/** A step of a case, as the procedure's description names the step its event takes (an adjustment outside a case takes none). */
export function evolveAdjustments<S extends AdjustmentsState>(state: S, event: Decided<AdjustmentStepEvent> | Recorded<AdjustmentStepEvent>): S {
  const { eventId, effectiveAt } = event.metadata;
  const { caseId } = event.data;
  if (caseId === undefined) return state;
  const step = stepOfEvent(ADJUSTMENT_PROCEDURE, event.type)!;
  const owned = { ...state, caseOfEvent: state.caseOfEvent.set(eventId, caseId) };
  if (event.type === 'AdjustmentReported') {
    return {
      ...owned,
      adjustmentCases: state.adjustmentCases.set(caseId, {
        caseId,
        triggers: event.data.triggers,
        proposedKind: event.data.report.proposedKind,
        steps: takeStep([], step, eventId, effectiveAt),
        cadreStatementHeard: null,
        approved: null,
        approvedKind: null,
      }),
    };
  }
  return withAdjustmentCase(owned, caseId, (c) => {
    const taken = { ...c, steps: takeStep(c.steps, step, eventId, effectiveAt) };
    if (event.type === 'AdjustmentReviewed') return { ...taken, cadreStatementHeard: event.data.cadreStatementHeard };
    if (event.type === 'AdjustmentApproved') return { ...taken, approved: event.data.approved, approvedKind: event.data.approved ? (event.data.kind ?? c.proposedKind) : null };
    return taken;
  });
}

/** A retracted step (the latest only: retractEntry) is no longer taken, and what it had set is unset. */
export function retractAdjustmentStep<S extends AdjustmentsState>(state: S, eventId: string, eventType: string): S {
  const caseId = state.caseOfEvent.get(eventId);
  if (caseId === undefined) return state;
  return withAdjustmentCase(state, caseId, (c) => ({
    ...c,
    steps: withoutStep(c.steps, eventId),
    cadreStatementHeard: eventType === 'AdjustmentReviewed' ? null : c.cadreStatementHeard,
    approved: eventType === 'AdjustmentApproved' ? null : c.approved,
    approvedKind: eventType === 'AdjustmentApproved' ? null : c.approvedKind,
  }));
}

/** The step an adjustment case is at (null: no such case, or its report was retracted). */
export const adjustmentStep = (c: AdjustmentCase | undefined): AdjustmentCaseStep | null => currentStepOf(c?.steps);

/** An approval that said no closes the case at `approved`: recorded, not adjusted. */
export const isClosedUnadjusted = (c: AdjustmentCase): boolean => adjustmentStep(c) === 'approved' && c.approved === false;

function withAdjustmentCase<S extends AdjustmentsState>(state: S, caseId: string, change: (c: AdjustmentCase) => AdjustmentCase): S {
  const current = state.adjustmentCases.get(caseId);
  return current ? { ...state, adjustmentCases: state.adjustmentCases.set(caseId, change(current)) } : state;
}
