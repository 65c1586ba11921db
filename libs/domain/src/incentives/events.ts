import type { Message, Noted } from '../shared/messages';
import type { CommendationKind, CommendationLevel, ReviewGrade } from '../shared/vocabulary';

export type AnnualReviewRecorded = Message<
  'AnnualReviewRecorded',
  Noted & {
    year: number;
    grade: ReviewGrade;
    /** Share (0..1) of 基本称职 + 不称职 votes in the 民主测评. */
    unfavourableVoteShare?: number;
  }
>;

export type CommendationIssued = Message<
  'CommendationIssued',
  Noted & { level: CommendationLevel; kind: CommendationKind; title: string }
>;
