import { Map as ImmutableMap } from 'immutable';
import type { Decided, Recorded } from '../shared/messages';
import type { UnitEvent, UnitRegistered } from '../events';
import { assertNever } from '../shared/assert-never';

export interface UnitState {
  /** Set once `UnitRegistered` is in the stream. */
  registration: UnitRegistered['data'] | null;
  /** Assessment year → eventId. */
  assessmentYears: ImmutableMap<number, string>;
  length: number;
}

export const initialUnitState = (): UnitState => ({ registration: null, assessmentYears: ImmutableMap(), length: 0 });

export function evolveUnit(state: UnitState, event: Decided<UnitEvent> | Recorded<UnitEvent>): UnitState {
  const length = state.length + 1;
  switch (event.type) {
    case 'UnitRegistered':
      return { ...state, registration: event.data, length };
    case 'UnitAssessmentRecorded':
      return { ...state, assessmentYears: state.assessmentYears.set(event.data.year, event.metadata.eventId), length };
    case 'UnitFindingRecorded':
      return { ...state, length };
    default:
      return assertNever(event);
  }
}
