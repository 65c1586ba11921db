import type { Map as ImmutableMap } from 'immutable';
import type { AnnualReviewRecorded } from '../events';
import type { Decided, Recorded } from '../shared/messages';

/** What the incentives capability keeps of a stream: the review standing for each year. */
export interface IncentivesState {
  /** Annual review year → eventId of the review standing for it. */
  reviewYears: ImmutableMap<number, string>;
}

export const evolveIncentives = <S extends IncentivesState>(state: S, event: Decided<AnnualReviewRecorded> | Recorded<AnnualReviewRecorded>): S => ({
  ...state,
  reviewYears: state.reviewYears.set(event.data.year, event.metadata.eventId),
});

/** A retracted review no longer stands for its year. */
export const retractReview = <S extends IncentivesState>(state: S, eventId: string): S => ({ ...state, reviewYears: state.reviewYears.filter((id) => id !== eventId) });
