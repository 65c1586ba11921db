import type { CadreRegistered, CadreTransferred, CadrePromoted, EntryRetracted, InfluencePeriodEnded, ConflictDetected, ConflictResolved } from './cadres/events';
import type { AnnualReviewRecorded, CommendationIssued } from './incentives/events';
import type { CautionIssued, TalkHeld, SanctionImposed, InvestigationOpened, InvestigationClosed } from './accountability/events';
import type {
  ToleranceRequested,
  ToleranceInvestigated,
  ToleranceDecided,
  ToleranceNotified,
  ToleranceFiled,
  AllegationCleared,
} from './tolerance/events';
import type { CadreAdjusted, AdjustmentReported, AdjustmentReviewed, AdjustmentApproved, AdjustmentTalkHeld } from './adjustments/events';
import type { ExcellenceQuotaClaimed, ExcellenceQuotaReleased, UnitAssessmentRecorded, UnitFindingRecorded, UnitQuotaSet, UnitRegistered } from './units/events';
import type { CadreFindingRecorded } from './findings/events';
import type { Decided, Recorded } from './shared/messages';

export type * from './cadres/events';
export type * from './incentives/events';
export type * from './accountability/events';
export type * from './tolerance/events';
export type * from './adjustments/events';
export type * from './units/events';
export type * from './findings/events';

/** Everything that can stand in a `cadre-{cadreId}` stream. */
export type CadreEvent =
  | CadreRegistered
  | CadreTransferred
  | CadrePromoted
  | EntryRetracted
  | InfluencePeriodEnded
  | ConflictDetected
  | ConflictResolved
  | AnnualReviewRecorded
  | CommendationIssued
  | CautionIssued
  | TalkHeld
  | SanctionImposed
  | InvestigationOpened
  | InvestigationClosed
  | ToleranceRequested
  | ToleranceInvestigated
  | ToleranceDecided
  | ToleranceNotified
  | ToleranceFiled
  | AllegationCleared
  | CadreAdjusted
  | CadreFindingRecorded
  | AdjustmentReported
  | AdjustmentReviewed
  | AdjustmentApproved
  | AdjustmentTalkHeld;

/** Everything that can stand in a `unit-{unitId}` stream. */
export type UnitEvent = UnitRegistered | UnitAssessmentRecorded | UnitFindingRecorded | UnitQuotaSet | ExcellenceQuotaClaimed | ExcellenceQuotaReleased;

export type LedgerEvent = CadreEvent | UnitEvent;
export type LedgerEventType = LedgerEvent['type'];

/** A stored fact, as the policy engine and the folds see it. */
export type Fact<E extends LedgerEvent = LedgerEvent> = Recorded<E>;
export type DecidedEvent<E extends LedgerEvent = LedgerEvent> = Decided<E>;

/** The shape version of each event's `data`; a changed shape gets a new version and an upcaster. */
export const SCHEMA_VERSIONS: Record<LedgerEventType, number> = {
  CadreRegistered: 1,
  CadreTransferred: 1,
  CadrePromoted: 1,
  EntryRetracted: 1,
  InfluencePeriodEnded: 1,
  ConflictDetected: 1,
  ConflictResolved: 1,
  AnnualReviewRecorded: 1,
  CommendationIssued: 1,
  CautionIssued: 1,
  TalkHeld: 1,
  SanctionImposed: 1,
  InvestigationOpened: 1,
  InvestigationClosed: 1,
  ToleranceRequested: 1,
  ToleranceInvestigated: 1,
  ToleranceDecided: 1,
  ToleranceNotified: 1,
  ToleranceFiled: 1,
  AllegationCleared: 1,
  CadreAdjusted: 1,
  UnitAssessmentRecorded: 1,
  UnitRegistered: 1,
  UnitFindingRecorded: 1,
  CadreFindingRecorded: 1,
  AdjustmentReported: 1,
  AdjustmentReviewed: 1,
  AdjustmentApproved: 1,
  AdjustmentTalkHeld: 1,
  UnitQuotaSet: 1,
  ExcellenceQuotaClaimed: 1,
  ExcellenceQuotaReleased: 1,
};

export const LEDGER_EVENT_TYPES = Object.keys(SCHEMA_VERSIONS) as LedgerEventType[];

/** The event types of `unit-{unitId}` streams; every other type stands in a `cadre-{cadreId}` stream. */
export const UNIT_EVENT_TYPES: ReadonlySet<LedgerEventType> = new Set<LedgerEventType>(['UnitRegistered', 'UnitAssessmentRecorded', 'UnitFindingRecorded', 'UnitQuotaSet', 'ExcellenceQuotaClaimed', 'ExcellenceQuotaReleased']);

/** A unit's fact (in a history that merges a cadre's stream with its units'). */
export const isUnitFact = (fact: { type: string }): fact is Fact<UnitEvent> => UNIT_EVENT_TYPES.has(fact.type as LedgerEventType);
