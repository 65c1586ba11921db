import type { LedgerCommand, UnitCommand } from './commands';
import { UNIT_EVENT_TYPES, type LedgerEvent } from './events';
import type { CommandMetadata } from './shared/messages';
import type { LocalDate } from './shared/local-date';

/** The command each event type is the outcome of (one each: deciding a command again reproduces its event). */
export const COMMAND_OF_EVENT = {
  CadreRegistered: 'RegisterCadre',
  CadreTransferred: 'TransferCadre',
  CadrePromoted: 'PromoteCadre',
  EntryRetracted: 'RetractEntry',
  InfluencePeriodEnded: 'RecordInfluencePeriodEnd',
  ConflictDetected: 'RecordConflictDetected',
  ConflictResolved: 'RecordConflictResolved',
  AnnualReviewRecorded: 'RecordAnnualReview',
  CommendationIssued: 'IssueCommendation',
  CautionIssued: 'IssueCaution',
  TalkHeld: 'HoldTalk',
  SanctionImposed: 'ImposeSanction',
  InvestigationOpened: 'OpenInvestigation',
  InvestigationClosed: 'CloseInvestigation',
  ToleranceRequested: 'RequestTolerance',
  ToleranceInvestigated: 'RecordToleranceFindings',
  ToleranceDecided: 'DecideTolerance',
  ToleranceNotified: 'NotifyTolerance',
  ToleranceFiled: 'FileTolerance',
  AllegationCleared: 'ClearAllegation',
  CadreAdjusted: 'AdjustCadre',
  UnitAssessmentRecorded: 'RecordUnitAssessment',
  UnitRegistered: 'RegisterUnit',
  UnitFindingRecorded: 'RecordUnitFinding',
  CadreFindingRecorded: 'RecordCadreFinding',
  AdjustmentReported: 'ReportAdjustment',
  AdjustmentReviewed: 'ReviewAdjustment',
  AdjustmentApproved: 'ApproveAdjustment',
  AdjustmentTalkHeld: 'HoldAdjustmentTalk',
  UnitQuotaSet: 'SetUnitQuota',
  ExcellenceQuotaClaimed: 'ClaimExcellenceQuota',
  ExcellenceQuotaReleased: 'ReleaseExcellenceQuota',
} as const satisfies { [E in LedgerEvent as E['type']]: LedgerCommand['type'] };

type CommandFor<E extends LedgerEvent> = Extract<LedgerCommand, { type: (typeof COMMAND_OF_EVENT)[E['type']] }>;

/**
 * Each command's data is its event's data with the decision's effective date (commands.ts), so
 * this holds for every event type, and the compiler checks it: a field renamed in an event or a
 * command breaks the build here. The exceptions are written out: a retraction has no effective
 * date, and a quota claim's rule and limit are the decider's to fill in.
 */
type CommandDataMatchesEvent = {
  [E in LedgerEvent as E['type']]: CommandFor<E>['data'] extends Omit<E['data'], 'ruleId' | 'limit'> & { effectiveAt?: LocalDate } ? true : never;
};
const _everyCommandCarriesItsEvent: CommandDataMatchesEvent = Object.fromEntries(Object.keys(COMMAND_OF_EVENT).map((t) => [t, true])) as CommandDataMatchesEvent;
void _everyCommandCarriesItsEvent;

/**
 * The command whose decision is this event: the import decides it again (an event is taken in only
 * when its decider, from the same history, produces exactly it). `today` is the date the decider
 * judges "not in the future" by; a retraction's effective date is the day it was recorded.
 */
export function commandOfEvent<E extends LedgerEvent>(event: { type: E['type']; data: E['data'] }, effectiveAt: LocalDate, metadata: CommandMetadata): CommandFor<E> {
  const type = COMMAND_OF_EVENT[event.type];
  const data = event.type === 'EntryRetracted' ? event.data : { ...event.data, effectiveAt };
  return { type, data, metadata } as unknown as CommandFor<E>;
}

const UNIT_COMMAND_TYPES: ReadonlySet<string> = new Set([...UNIT_EVENT_TYPES].map((type) => COMMAND_OF_EVENT[type]));

/** A command on a `unit-{unitId}` stream (decided by `decideUnit`), as opposed to a cadre's. */
export const isUnitCommand = (command: LedgerCommand): command is UnitCommand => UNIT_COMMAND_TYPES.has(command.type);
