import type { Map as ImmutableMap } from 'immutable';
import type { InvestigationClosed, InvestigationOpened } from '../events';
import type { Decided, Recorded } from '../shared/messages';
import type { LocalDate } from '../shared/local-date';

export interface Investigation {
  caseId: string;
  openedBy: string;
  openedOn: LocalDate;
  closedBy: string | null;
  voided: boolean;
}

/** What the accountability capability keeps of a stream: investigations (立案审查调查). */
export interface AccountabilityState {
  investigations: ImmutableMap<string, Investigation>;
  /** eventId of a case step or an investigation's opening/closure → the case it belongs to. */
  caseOfEvent: ImmutableMap<string, string>;
}

type InvestigationEvent = Decided<InvestigationOpened | InvestigationClosed> | Recorded<InvestigationOpened | InvestigationClosed>;

export function evolveInvestigations<S extends AccountabilityState>(state: S, event: InvestigationEvent): S {
  const { eventId, effectiveAt } = event.metadata;
  const owned = { ...state, caseOfEvent: state.caseOfEvent.set(eventId, event.data.caseId) };
  if (event.type === 'InvestigationOpened') {
    return { ...owned, investigations: state.investigations.set(event.data.caseId, { caseId: event.data.caseId, openedBy: eventId, openedOn: effectiveAt, closedBy: null, voided: false }) };
  }
  return withInvestigation(owned, event.data.caseId, (i) => ({ ...i, closedBy: eventId }));
}

/** A retracted opening voids the investigation; a retracted closure reopens it. */
export function retractInvestigationStep<S extends AccountabilityState>(state: S, eventId: string): S {
  const investigation = state.investigations.get(state.caseOfEvent.get(eventId) ?? '');
  if (!investigation) return state;
  return withInvestigation(state, investigation.caseId, (i) => (i.openedBy === eventId ? { ...i, voided: true } : { ...i, closedBy: null }));
}

function withInvestigation<S extends AccountabilityState>(state: S, caseId: string, change: (i: Investigation) => Investigation): S {
  const current = state.investigations.get(caseId);
  return current ? { ...state, investigations: state.investigations.set(caseId, change(current)) } : state;
}
