import { Map as ImmutableMap, Set as ImmutableSet } from 'immutable';
import type { UnitGrade } from '../shared/vocabulary';
import type { Decided, Recorded } from '../shared/messages';
import type { UnitEvent, UnitRegistered } from '../events';
import { assertNever } from '../shared/assert-never';

export interface UnitState {
  /** Set once `UnitRegistered` is in the stream. */
  registration: UnitRegistered['data'] | null;
  /** Assessment year → eventId. */
  assessmentYears: ImmutableMap<number, string>;
  /** Assessment year → grade. */
  assessmentGrades: ImmutableMap<number, UnitGrade>;
  /** Year → assessed headcount (the latest set). */
  quotas: ImmutableMap<number, number>;
  /** Year → the review eventIds counted against its quota (claimed and not released). */
  claims: ImmutableMap<number, ImmutableSet<string>>;
  /** Review eventId → when its claim was recorded and by which cadre (for the command path's checks). */
  claimDetails: ImmutableMap<string, { cadreId: string; recordedAt?: string }>;
  length: number;
}

export const initialUnitState = (): UnitState => ({ registration: null, assessmentYears: ImmutableMap(), assessmentGrades: ImmutableMap(), quotas: ImmutableMap(), claims: ImmutableMap(), claimDetails: ImmutableMap(), length: 0 });

export function evolveUnit(state: UnitState, event: Decided<UnitEvent> | Recorded<UnitEvent>): UnitState {
  const length = state.length + 1;
  switch (event.type) {
    case 'UnitRegistered':
      return { ...state, registration: event.data, length };
    case 'UnitAssessmentRecorded':
      return {
        ...state,
        assessmentYears: state.assessmentYears.set(event.data.year, event.metadata.eventId),
        assessmentGrades: state.assessmentGrades.set(event.data.year, event.data.grade),
        length,
      };
    case 'UnitQuotaSet':
      return { ...state, quotas: state.quotas.set(event.data.year, event.data.assessedHeadcount), length };
    case 'ExcellenceQuotaClaimed':
      return {
        ...state,
        claims: state.claims.set(event.data.year, (state.claims.get(event.data.year) ?? ImmutableSet<string>()).add(event.data.reviewEventId)),
        claimDetails: state.claimDetails.set(event.data.reviewEventId, { cadreId: event.data.cadreId, recordedAt: 'recordedAt' in event.metadata ? event.metadata.recordedAt : undefined }),
        length,
      };
    case 'ExcellenceQuotaReleased':
      return {
        ...state,
        claims: state.claims.update(event.data.year, (ids) => ids?.delete(event.data.reviewEventId) ?? ImmutableSet<string>()),
        claimDetails: state.claimDetails.delete(event.data.reviewEventId),
        length,
      };
    case 'UnitFindingRecorded':
      return { ...state, length };
    default:
      return assertNever(event);
  }
}
