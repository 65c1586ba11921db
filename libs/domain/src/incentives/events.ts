import type { Message, Noted } from '../shared/messages';
import type { AwardedBy, CommendationField, CommendationKind, CommendationLevel, ReviewGrade } from '../shared/vocabulary';

export type AnnualReviewRecorded = Message<
  'AnnualReviewRecorded',
  Noted & {
    year: number;
    grade: ReviewGrade;
    /** Share (0..1) of 基本称职 + 不称职 votes in the 民主测评. */
    unfavourableVoteShare?: number;
    /** The document that lets an excellent grade beyond the unit's quota (up to the rule's cap). */
    quotaOverrideRef?: string;
  }
>;

export type CommendationIssued = Message<
  'CommendationIssued',
  Noted & {
    level: CommendationLevel;
    kind: CommendationKind;
    title: string;
    /** What it was for; older records lack it (the rules then assume, and say so). */
    field?: CommendationField;
    /** Who awarded it; older records lack it. */
    awardedBy?: AwardedBy;
  }
>;
