import type {
  ToleranceRequested,
  ToleranceInvestigated,
  ToleranceDecided,
  ToleranceNotified,
  ToleranceFiled,
  AllegationCleared,
  DecidedEvent,
  CadreEvent,
} from '../events';
import type {
  RequestTolerance,
  RecordToleranceFindings,
  DecideTolerance,
  NotifyTolerance,
  FileTolerance,
  ClearAllegation,
} from '../commands';
import type { PolicyPort } from '../policy-port';
import { DomainError } from '../shared/errors';
import type { LocalDate } from '../shared/local-date';
import { ADJUSTMENT_KINDS, PROBATION_MONTHS, SANCTION_KINDS_BY_SYSTEM } from '../shared/vocabulary';
import { describeScales, notLighter } from './measures';
import type { MitigatedTo } from './events';
import { emit, requireEffectiveDate, type DateBounds, requireEntries, requireIdentifier, requireRegistered } from '../cadre-stream/guards';
import type { CadreState, RegisteredCadre } from '../cadre-stream/state';
import { requireNextStep as requireNextProcedureStep } from '../shared/procedure';
import { TOLERANCE_PROCEDURE, type ToleranceStep } from './procedure';
import type { ToleranceCase } from './state';

/** What a tolerance case may cover (API.md: sanctions, cautions, talks, adjustments). */
const TOLERABLE: CadreEvent['type'][] = ['SanctionImposed', 'CautionIssued', 'TalkHeld', 'CadreAdjusted'];
/** A clearance (澄清正名) may also clear the cadre of an investigation. */
const CLEARABLE: CadreEvent['type'][] = [...TOLERABLE, 'InvestigationOpened'];

export function requestTolerance(command: RequestTolerance, state: CadreState, policy: PolicyPort): DecidedEvent<ToleranceRequested>[] {
  const cadre = requireRegistered(state);
  const { caseId, situation, covers, effectiveAt } = command.data;
  requireIdentifier('caseId', caseId);
  requireEffectiveDate(effectiveAt, command.metadata);
  if (cadre.toleranceCases.has(caseId)) {
    throw new DomainError('tolerance-case-duplicate', 'conflict', `tolerance case ${caseId} already exists`);
  }
  const situations = policy.toleranceSituations(cadre.jurisdiction, effectiveAt);
  if (!situations.includes(situation)) {
    throw new DomainError(
      'unknown-situation',
      'unprocessable',
      situations.length === 0
        ? `the rule sets of ${cadre.jurisdiction} in force on ${effectiveAt} define no tolerance situations`
        : `situation ${situation} is not one of ${situations.join(', ')} (rule sets of ${cadre.jurisdiction} on ${effectiveAt})`,
      { situations },
    );
  }
  requireEntries(cadre, covers, TOLERABLE, 'covers', effectiveAt);
  return emit(command, 'ToleranceRequested', command.data, effectiveAt);
}

export function recordToleranceFindings(
  command: RecordToleranceFindings,
  state: CadreState,
): DecidedEvent<ToleranceInvestigated>[] {
  const cadre = requireRegistered(state);
  requireNextStep(cadre, command.data.caseId, 'investigated', command.data.effectiveAt, command.metadata);
  return emit(command, 'ToleranceInvestigated', command.data, command.data.effectiveAt);
}

/** 三个区分开来: no exemption or mitigation for personal gain, knowing violation or defiance of a ban. */
export function decideTolerance(command: DecideTolerance, state: CadreState): DecidedEvent<ToleranceDecided>[] {
  const cadre = requireRegistered(state);
  const { caseId, outcome, mitigatedTo, effectiveAt } = command.data;
  const toleranceCase = requireNextStep(cadre, caseId, 'decided', effectiveAt, command.metadata);
  const exclusions = Object.entries(toleranceCase.exclusions ?? {})
    .filter(([, found]) => found)
    .map(([name]) => name);
  if (outcome !== 'rejected' && exclusions.length > 0) {
    throw new DomainError(
      'tolerance-excluded',
      'unprocessable',
      `三个区分开来: the findings establish ${exclusions.join(', ')}, so the only possible outcome is rejected`,
      { exclusions },
    );
  }
  if (outcome === 'mitigated') {
    if (!mitigatedTo) throw new DomainError('mitigated-to-missing', 'invalid', 'a mitigated decision names mitigatedTo: a lighter sanction, organizational measure or caution');
    requireMitigationShape(mitigatedTo);
    // 减责 is lighter only (容错纠错办法 第九条(五)): below every covered fact, on its scale.
    for (const covered of toleranceCase.covers) {
      const measure = cadre.entries.get(covered)?.measure;
      const why = measure ? notLighter(mitigatedTo, measure) : null;
      if (why) {
        throw new DomainError('mitigation-not-lighter', 'unprocessable', `mitigatedTo must be lighter than every covered fact: ${why} (scales: ${describeScales()})`, {
          eventId: covered,
        });
      }
    }
  } else if (mitigatedTo) {
    throw new DomainError('mitigated-to-unexpected', 'unprocessable', `mitigatedTo goes only with outcome mitigated, not ${outcome}`);
  }
  return emit(command, 'ToleranceDecided', command.data, effectiveAt);
}

export function notifyTolerance(command: NotifyTolerance, state: CadreState): DecidedEvent<ToleranceNotified>[] {
  const cadre = requireRegistered(state);
  requireNextStep(cadre, command.data.caseId, 'notified', command.data.effectiveAt, command.metadata);
  return emit(command, 'ToleranceNotified', command.data, command.data.effectiveAt);
}

export function fileTolerance(command: FileTolerance, state: CadreState): DecidedEvent<ToleranceFiled>[] {
  const cadre = requireRegistered(state);
  if (command.data.filedWith.length === 0 || new Set(command.data.filedWith).size !== command.data.filedWith.length) {
    throw new DomainError('invalid-filed-with', 'invalid', 'filedWith lists one or more distinct bodies');
  }
  requireNextStep(cadre, command.data.caseId, 'filed', command.data.effectiveAt, command.metadata);
  return emit(command, 'ToleranceFiled', command.data, command.data.effectiveAt);
}

/** 澄清正名 (容错纠错办法 第十一条): the covered facts lose every effect. */
export function clearAllegation(command: ClearAllegation, state: CadreState): DecidedEvent<AllegationCleared>[] {
  const cadre = requireRegistered(state);
  requireEffectiveDate(command.data.effectiveAt, command.metadata);
  requireEntries(cadre, command.data.covers, CLEARABLE, 'covers', command.data.effectiveAt);
  return emit(command, 'AllegationCleared', command.data, command.data.effectiveAt);
}

function requireMitigationShape(mitigatedTo: MitigatedTo): void {
  switch (mitigatedTo.system) {
    case 'caution':
      if ((mitigatedTo as { kind?: unknown }).kind !== undefined) throw new DomainError('invalid-mitigation', 'invalid', 'mitigatedTo: a caution takes no kind');
      return;
    case 'organizational':
      if (!(ADJUSTMENT_KINDS as readonly string[]).includes(mitigatedTo.kind)) {
        throw new DomainError('invalid-mitigation', 'invalid', `mitigatedTo: ${String(mitigatedTo.kind)} is not an organizational measure (${ADJUSTMENT_KINDS.join(', ')})`);
      }
      return;
    case 'party':
    case 'administrative':
      if (!SANCTION_KINDS_BY_SYSTEM[mitigatedTo.system].includes(mitigatedTo.kind)) {
        throw new DomainError('invalid-sanction-kind', 'invalid', `mitigatedTo: ${mitigatedTo.kind} is not a ${mitigatedTo.system} sanction`);
      }
      if (mitigatedTo.kind === 'probation' ? !(PROBATION_MONTHS as readonly number[]).includes(mitigatedTo.probationMonths ?? -1) : mitigatedTo.probationMonths !== undefined) {
        throw new DomainError('invalid-mitigation', 'invalid', 'mitigatedTo: probationMonths (12 or 24) goes with probation, and only with it');
      }
      return;
    default:
      throw new DomainError('invalid-mitigation', 'invalid', 'mitigatedTo.system is party, administrative, organizational or caution');
  }
}

/** The case is at the step before this one, and this one dated on or after it (TOLERANCE_PROCEDURE; 409 naming the current step otherwise). */
function requireNextStep(cadre: RegisteredCadre, caseId: string, step: Exclude<ToleranceStep, 'requested'>, effectiveAt: LocalDate, dates: DateBounds): ToleranceCase {
  requireEffectiveDate(effectiveAt, dates);
  const toleranceCase = cadre.toleranceCases.get(caseId);
  requireNextProcedureStep(TOLERANCE_PROCEDURE, caseId, toleranceCase && !toleranceCase.voided ? toleranceCase.steps : undefined, step, effectiveAt);
  return toleranceCase!;
}
