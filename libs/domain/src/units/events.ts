import type { Message, Noted } from '../shared/messages';
import type { CriticisedBy, FindingCategory, IncidentLevel, UnitGrade, UnitLevel } from '../shared/vocabulary';

/** A unit as registered: its name, level and parent; the first event of its `unit-{unitId}` stream (or after its assessments, for old data). */
export type UnitRegistered = Message<
  'UnitRegistered',
  Noted & { unitId: string; name: string; level: UnitLevel; parentUnitId?: string; jurisdiction: string }
>;

/** Annual assessment of a unit; stored in the `unit-{unitId}` stream. */
export type UnitAssessmentRecorded = Message<
  'UnitAssessmentRecorded',
  Noted & { unitId: string; year: number; grade: UnitGrade }
>;

/** The unit's assessed headcount for a year's annual reviews: what its 优秀 quota is a share of. */
export type UnitQuotaSet = Message<'UnitQuotaSet', Noted & { unitId: string; year: number; assessedHeadcount: number }>;

/**
 * One 优秀 grade counted against the unit's quota for the year, claimed before the review is stored
 * (the unit stream's revision makes concurrent claims take turns). `quotaOverrideRef`: the document
 * that lifted the limit to the rule's cap.
 */
export type ExcellenceQuotaClaimed = Message<
  'ExcellenceQuotaClaimed',
  { unitId: string; year: number; cadreId: string; reviewEventId: string; ruleId: string; limit: number; quotaOverrideRef?: string }
>;

/**
 * A place counted against a year's 优秀 quota given back: its review was retracted (a wrong entry no
 * longer counts), or it was never stored (the process that claimed the place died before storing
 * the review, and the claim is older than the command path's lease).
 */
export type ExcellenceQuotaReleased = Message<
  'ExcellenceQuotaReleased',
  { unitId: string; year: number; cadreId: string; reviewEventId: string; reason: QuotaReleaseReason }
>;

export const QUOTA_RELEASE_REASONS = ['review-retracted', 'review-not-stored'] as const;
export type QuotaReleaseReason = (typeof QUOTA_RELEASE_REASONS)[number];

/** What a finding says beyond its category and kind (FINDING_CATEGORIES says which apply). */
export interface FindingDetails {
  /** The year a ranking, evaluation or designation is of. */
  year?: number;
  /** 通报批评 or 批评 by whom. */
  criticisedBy?: CriticisedBy;
  /** An accident's or incident's grade. */
  level?: IncidentLevel;
  /** The 有关(党员/党政)领导干部 it holds responsible. */
  cadreIds?: string[];
}

/** A 责任认定 or 考核 result about a unit (陕西 能上能下办法 第六、八–十三条; 张家界 措施5; 工作落实). */
export type UnitFindingRecorded = Message<'UnitFindingRecorded', Noted & FindingDetails & { unitId: string; category: FindingCategory; kind: string }>;
