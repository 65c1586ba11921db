import type { Command } from './shared/messages';
import type { LocalDate } from './shared/local-date';
import type {
  CadreRegistered,
  CadreTransferred,
  CadrePromoted,
  EntryRetracted,
  InfluencePeriodEnded,
  ConflictDetected,
  ConflictResolved,
  AnnualReviewRecorded,
  CommendationIssued,
  CautionIssued,
  TalkHeld,
  SanctionImposed,
  InvestigationOpened,
  InvestigationClosed,
  ToleranceRequested,
  ToleranceInvestigated,
  ToleranceDecided,
  ToleranceNotified,
  ToleranceFiled,
  AllegationCleared,
  CadreAdjusted,
  UnitAssessmentRecorded,
  UnitRegistered,
  UnitFindingRecorded,
  UnitQuotaSet,
  ExcellenceQuotaClaimed,
  ExcellenceQuotaReleased,
  CadreFindingRecorded,
  AdjustmentReported,
  AdjustmentReviewed,
  AdjustmentApproved,
  AdjustmentTalkHeld,
} from './events';

/** A command carries the data of the event it asks for plus the decision's effective date. */
type Effective<Data> = Data & { effectiveAt: LocalDate };

// cadres
export type RegisterCadre = Command<'RegisterCadre', Effective<CadreRegistered['data']>>;
export type TransferCadre = Command<'TransferCadre', Effective<CadreTransferred['data']>>;
export type PromoteCadre = Command<'PromoteCadre', Effective<CadrePromoted['data']>>;
/** No `effectiveAt`: a retraction takes effect from the moment it is recorded. */
export type RetractEntry = Command<'RetractEntry', EntryRetracted['data']>;
/** Issued by the ledger's clock; `effectiveAt` is the lock's `until`. */
export type RecordInfluencePeriodEnd = Command<'RecordInfluencePeriodEnd', Effective<InfluencePeriodEnded['data']>>;
/** Issued by the conflict detector; `effectiveAt` is the day it was found (the promotion's date is in the data). */
export type RecordConflictDetected = Command<'RecordConflictDetected', Effective<ConflictDetected['data']>>;
export type RecordConflictResolved = Command<'RecordConflictResolved', Effective<ConflictResolved['data']>>;
// incentives
export type RecordAnnualReview = Command<'RecordAnnualReview', Effective<AnnualReviewRecorded['data']>>;
export type IssueCommendation = Command<'IssueCommendation', Effective<CommendationIssued['data']>>;
// accountability
export type IssueCaution = Command<'IssueCaution', Effective<CautionIssued['data']>>;
export type HoldTalk = Command<'HoldTalk', Effective<TalkHeld['data']>>;
export type ImposeSanction = Command<'ImposeSanction', Effective<SanctionImposed['data']>>;
export type OpenInvestigation = Command<'OpenInvestigation', Effective<InvestigationOpened['data']>>;
export type CloseInvestigation = Command<'CloseInvestigation', Effective<InvestigationClosed['data']>>;
// tolerance
export type RequestTolerance = Command<'RequestTolerance', Effective<ToleranceRequested['data']>>;
export type RecordToleranceFindings = Command<'RecordToleranceFindings', Effective<ToleranceInvestigated['data']>>;
export type DecideTolerance = Command<'DecideTolerance', Effective<ToleranceDecided['data']>>;
export type NotifyTolerance = Command<'NotifyTolerance', Effective<ToleranceNotified['data']>>;
export type FileTolerance = Command<'FileTolerance', Effective<ToleranceFiled['data']>>;
export type ClearAllegation = Command<'ClearAllegation', Effective<AllegationCleared['data']>>;
// adjustments
export type AdjustCadre = Command<'AdjustCadre', Effective<CadreAdjusted['data']>>;
export type ReportAdjustment = Command<'ReportAdjustment', Effective<AdjustmentReported['data']>>;
export type ReviewAdjustment = Command<'ReviewAdjustment', Effective<AdjustmentReviewed['data']>>;
export type ApproveAdjustment = Command<'ApproveAdjustment', Effective<AdjustmentApproved['data']>>;
export type HoldAdjustmentTalk = Command<'HoldAdjustmentTalk', Effective<AdjustmentTalkHeld['data']>>;
// findings
export type RecordCadreFinding = Command<'RecordCadreFinding', Effective<CadreFindingRecorded['data']>>;
// units
export type RecordUnitAssessment = Command<'RecordUnitAssessment', Effective<UnitAssessmentRecorded['data']>>;
export type RegisterUnit = Command<'RegisterUnit', Effective<UnitRegistered['data']>>;
export type RecordUnitFinding = Command<'RecordUnitFinding', Effective<UnitFindingRecorded['data']>>;
export type SetUnitQuota = Command<'SetUnitQuota', Effective<UnitQuotaSet['data']>>;
/** Issued by the command path before an excellent review is stored; `effectiveAt` is the review's. */
export type ClaimExcellenceQuota = Command<'ClaimExcellenceQuota', Effective<Omit<ExcellenceQuotaClaimed['data'], 'ruleId' | 'limit'>>>;
/** Issued by the command path once it has seen that a claimed review was retracted or never stored. */
export type ReleaseExcellenceQuota = Command<'ReleaseExcellenceQuota', Effective<ExcellenceQuotaReleased['data']>>;

export type CadreCommand =
  | RegisterCadre
  | TransferCadre
  | PromoteCadre
  | RetractEntry
  | RecordInfluencePeriodEnd
  | RecordConflictDetected
  | RecordConflictResolved
  | RecordAnnualReview
  | IssueCommendation
  | IssueCaution
  | HoldTalk
  | ImposeSanction
  | OpenInvestigation
  | CloseInvestigation
  | RequestTolerance
  | RecordToleranceFindings
  | DecideTolerance
  | NotifyTolerance
  | FileTolerance
  | ClearAllegation
  | AdjustCadre
  | RecordCadreFinding
  | ReportAdjustment
  | ReviewAdjustment
  | ApproveAdjustment
  | HoldAdjustmentTalk;

export type UnitCommand = RecordUnitAssessment | RegisterUnit | RecordUnitFinding | SetUnitQuota | ClaimExcellenceQuota | ReleaseExcellenceQuota;
export type LedgerCommand = CadreCommand | UnitCommand;

/** A command as an adapter hands it over: the command path adds the event id and today's date. */
export type Requested<C extends { metadata: unknown }> = C extends unknown
  ? Omit<C, 'metadata'> & {
      metadata: { actor: string; documentRef?: string | null };
    }
  : never;
