import type { CautionIssued, TalkHeld, SanctionImposed, InvestigationOpened, InvestigationClosed, DecidedEvent } from '../events';
import type { IssueCaution, HoldTalk, ImposeSanction, OpenInvestigation, CloseInvestigation } from '../commands';
import { DomainError } from '../shared/errors';
import { PROBATION_MONTHS, SANCTION_KINDS_BY_SYSTEM, TALK_HOLDERS } from '../shared/vocabulary';
import { emit, requireEffectiveDate, requireIdentifier, requireMeasureTakenBy, requireRegistered } from '../cadre-stream/guards';
import type { CadreState } from '../cadre-stream/state';

export function issueCaution(command: IssueCaution, state: CadreState): DecidedEvent<CautionIssued>[] {
  requireRegistered(state);
  requireEffectiveDate(command.data.effectiveAt, command.metadata);
  return emit(command, 'CautionIssued', command.data, command.data.effectiveAt);
}

/** `heldBy`, when given, is one of TALK_HOLDERS. */
export function holdTalk(command: HoldTalk, state: CadreState): DecidedEvent<TalkHeld>[] {
  requireRegistered(state);
  requireEffectiveDate(command.data.effectiveAt, command.metadata);
  const { heldBy } = command.data;
  if (heldBy !== undefined && !(TALK_HOLDERS as readonly string[]).includes(heldBy)) {
    throw new DomainError('invalid-talk-holder', 'invalid', `heldBy must be one of ${TALK_HOLDERS.join(', ')}, got ${JSON.stringify(heldBy)}`);
  }
  return emit(command, 'TalkHeld', command.data, command.data.effectiveAt);
}

/** The kind must belong to the system; 留党察看 and only it names 12 or 24 months. */
export function imposeSanction(command: ImposeSanction, state: CadreState): DecidedEvent<SanctionImposed>[] {
  requireRegistered(state);
  const { system, kind, probationMonths, effectiveAt } = command.data;
  requireEffectiveDate(effectiveAt, command.metadata);
  const kinds = SANCTION_KINDS_BY_SYSTEM[system];
  if (!kinds?.includes(kind)) {
    throw new DomainError('invalid-sanction-kind', 'invalid', `kind must be one of ${kinds?.join(', ') ?? '(unknown system)'} for system ${system}`);
  }
  const isProbation = system === 'party' && kind === 'probation';
  if (isProbation && !(PROBATION_MONTHS as readonly number[]).includes(probationMonths ?? -1)) {
    throw new DomainError('invalid-probation-months', 'invalid', 'probationMonths must be 12 or 24 for 留党察看');
  }
  if (!isProbation && probationMonths !== undefined) {
    throw new DomainError('invalid-probation-months', 'invalid', 'probationMonths applies only to party probation');
  }
  requireMeasureTakenBy(command.data.measureTakenBy);
  return emit(command, 'SanctionImposed', command.data, effectiveAt);
}

export function openInvestigation(command: OpenInvestigation, state: CadreState): DecidedEvent<InvestigationOpened>[] {
  const cadre = requireRegistered(state);
  requireIdentifier('caseId', command.data.caseId);
  requireEffectiveDate(command.data.effectiveAt, command.metadata);
  if (cadre.investigations.has(command.data.caseId)) {
    throw new DomainError('investigation-case-duplicate', 'conflict', `investigation ${command.data.caseId} already exists`);
  }
  return emit(command, 'InvestigationOpened', command.data, command.data.effectiveAt);
}

/** An investigation closes once, and only while open, and not before it opened. */
export function closeInvestigation(command: CloseInvestigation, state: CadreState): DecidedEvent<InvestigationClosed>[] {
  const cadre = requireRegistered(state);
  const { caseId, effectiveAt } = command.data;
  requireEffectiveDate(effectiveAt, command.metadata);
  const investigation = cadre.investigations.get(caseId);
  if (!investigation || investigation.voided) {
    throw new DomainError('investigation-not-found', 'not-found', `no investigation ${caseId} for this cadre`);
  }
  if (investigation.closedBy) {
    throw new DomainError('investigation-already-closed', 'conflict', `investigation ${caseId} is already closed`);
  }
  if (effectiveAt < investigation.openedOn) {
    throw new DomainError('closure-before-opening', 'unprocessable', `investigation ${caseId} opened on ${investigation.openedOn}, after ${effectiveAt}`);
  }
  return emit(command, 'InvestigationClosed', command.data, effectiveAt);
}
