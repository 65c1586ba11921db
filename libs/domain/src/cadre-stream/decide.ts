import type { CadreCommand } from '../commands';
import type { CadreEvent, DecidedEvent } from '../events';
import type { PolicyPort } from '../policy-port';
import { assertNever } from '../shared/assert-never';
import { registerCadre, transferCadre, promoteCadre, retractEntry, recordInfluencePeriodEnd, recordConflictDetected, recordConflictResolved } from '../cadres/decide';
import { recordAnnualReview, issueCommendation } from '../incentives/decide';
import { issueCaution, holdTalk, imposeSanction, openInvestigation, closeInvestigation } from '../accountability/decide';
import {
  requestTolerance,
  recordToleranceFindings,
  decideTolerance,
  notifyTolerance,
  fileTolerance,
  clearAllegation,
} from '../tolerance/decide';
import { adjustCadre, approveAdjustment, holdAdjustmentTalk, reportAdjustment, reviewAdjustment } from '../adjustments/decide';
import { recordCadreFinding } from '../findings/decide';
import { evolve, foldCadreStream, initialCadreState, type CadreState } from './state';
import type { Decider } from '../shared/decider';

/**
 * The decider of a `cadre-{cadreId}` stream: every command of every capability that writes to it.
 * Returns the events to append (none when the command is already satisfied), or throws a DomainError.
 */
export function decide(command: CadreCommand, state: CadreState, policy: PolicyPort): DecidedEvent<CadreEvent>[] {
  switch (command.type) {
    case 'RegisterCadre':
      return registerCadre(command, state, policy);
    case 'TransferCadre':
      return transferCadre(command, state);
    case 'PromoteCadre':
      return promoteCadre(command, state, policy);
    case 'RetractEntry':
      return retractEntry(command, state);
    case 'RecordInfluencePeriodEnd':
      return recordInfluencePeriodEnd(command, state);
    case 'RecordConflictDetected':
      return recordConflictDetected(command, state);
    case 'RecordConflictResolved':
      return recordConflictResolved(command, state);
    case 'RecordAnnualReview':
      return recordAnnualReview(command, state);
    case 'IssueCommendation':
      return issueCommendation(command, state);
    case 'IssueCaution':
      return issueCaution(command, state);
    case 'HoldTalk':
      return holdTalk(command, state);
    case 'ImposeSanction':
      return imposeSanction(command, state);
    case 'OpenInvestigation':
      return openInvestigation(command, state);
    case 'CloseInvestigation':
      return closeInvestigation(command, state);
    case 'RequestTolerance':
      return requestTolerance(command, state, policy);
    case 'RecordToleranceFindings':
      return recordToleranceFindings(command, state);
    case 'DecideTolerance':
      return decideTolerance(command, state);
    case 'NotifyTolerance':
      return notifyTolerance(command, state);
    case 'FileTolerance':
      return fileTolerance(command, state);
    case 'ClearAllegation':
      return clearAllegation(command, state);
    case 'AdjustCadre':
      return adjustCadre(command, state);
    case 'RecordCadreFinding':
      return recordCadreFinding(command, state);
    case 'ReportAdjustment':
      return reportAdjustment(command, state, policy);
    case 'ReviewAdjustment':
      return reviewAdjustment(command, state);
    case 'ApproveAdjustment':
      return approveAdjustment(command, state);
    case 'HoldAdjustmentTalk':
      return holdAdjustmentTalk(command, state);
    default:
      return assertNever(command);
  }
}

/** The decider of `cadre-{cadreId}` streams. */
export const cadreDecider: Decider<CadreState, CadreCommand, CadreEvent, PolicyPort> = { decide, evolve, initialState: initialCadreState, fold: foldCadreStream };
