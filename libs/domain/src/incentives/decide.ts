import type { AnnualReviewRecorded, CommendationIssued, DecidedEvent } from '../events';
import type { RecordAnnualReview, IssueCommendation } from '../commands';
import { DomainError } from '../shared/errors';
import { yearOf } from '../shared/local-date';
import { emit, requireEffectiveDate, requireRegistered } from '../cadre-stream/guards';
import type { CadreState } from '../cadre-stream/state';

/** One annual review per year; the review of year Y is decided in Y or later. */
export function recordAnnualReview(command: RecordAnnualReview, state: CadreState): DecidedEvent<AnnualReviewRecorded>[] {
  const cadre = requireRegistered(state);
  const { year, effectiveAt, unfavourableVoteShare } = command.data;
  requireEffectiveDate(effectiveAt, command.metadata);
  if (!Number.isInteger(year) || year < 1949) {
    throw new DomainError('invalid-review-year', 'invalid', `year must be a whole number from 1949 on, got ${year}`);
  }
  if (year > yearOf(effectiveAt)) {
    throw new DomainError('review-year-after-decision', 'unprocessable', `the ${year} review cannot take effect on ${effectiveAt}, before its year began`);
  }
  if (unfavourableVoteShare !== undefined && !(unfavourableVoteShare >= 0 && unfavourableVoteShare <= 1)) {
    throw new DomainError('invalid-vote-share', 'invalid', 'unfavourableVoteShare must lie between 0 and 1');
  }
  const existing = cadre.reviewYears.get(year);
  if (existing) {
    throw new DomainError('annual-review-year-duplicate', 'conflict', `the ${year} annual review is already recorded (${existing})`, {
      eventId: existing,
    });
  }
  return emit(command, 'AnnualReviewRecorded', command.data, effectiveAt);
}

export function issueCommendation(command: IssueCommendation, state: CadreState): DecidedEvent<CommendationIssued>[] {
  requireRegistered(state);
  requireEffectiveDate(command.data.effectiveAt, command.metadata);
  return emit(command, 'CommendationIssued', command.data, command.data.effectiveAt);
}
