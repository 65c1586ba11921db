import { Map as ImmutableMap } from 'immutable';
import type { Decided, Recorded } from '../shared/messages';
import type { UnitEvent } from '../events';

export interface UnitState {
  /** Assessment year → eventId. */
  assessmentYears: ImmutableMap<number, string>;
  length: number;
}

export const initialUnitState = (): UnitState => ({ assessmentYears: ImmutableMap(), length: 0 });

export function evolveUnit(state: UnitState, event: Decided<UnitEvent> | Recorded<UnitEvent>): UnitState {
  return {
    assessmentYears: state.assessmentYears.set(event.data.year, event.metadata.eventId),
    length: state.length + 1,
  };
}
