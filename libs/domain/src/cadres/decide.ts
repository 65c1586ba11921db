import type { CadreRegistered, CadreTransferred, CadrePromoted, EntryRetracted, InfluencePeriodEnded, ConflictDetected, ConflictResolved, DecidedEvent } from '../events';
import type { RegisterCadre, TransferCadre, PromoteCadre, RetractEntry, RecordInfluencePeriodEnd, RecordConflictDetected, RecordConflictResolved } from '../commands';
import type { PolicyPort } from '../policy-port';
import { DomainError } from '../shared/errors';
import { emit, requireEffectiveDate, requireIdentifier, requireRegistered } from '../cadre-stream/guards';
import type { CadreState } from '../cadre-stream/state';
import { requireLatestStep } from '../shared/procedure';
import { TOLERANCE_PROCEDURE } from '../tolerance/procedure';
import { ADJUSTMENT_PROCEDURE } from '../adjustments/procedure';
import { conflictKey } from './state';

export function registerCadre(command: RegisterCadre, state: CadreState, policy: PolicyPort): DecidedEvent<CadreRegistered>[] {
  if (state.registered) {
    throw new DomainError('cadre-already-registered', 'conflict', `cadre ${command.data.cadreId} is already registered`);
  }
  requireIdentifier('cadreId', command.data.cadreId);
  requireIdentifier('unitId', command.data.unitId);
  requireEffectiveDate(command.data.effectiveAt, command.metadata);
  if (!policy.isKnownJurisdiction(command.data.jurisdiction)) {
    throw new DomainError('unknown-jurisdiction', 'unprocessable', `jurisdiction ${command.data.jurisdiction} is not configured`);
  }
  return emit(command, 'CadreRegistered', command.data, command.data.effectiveAt);
}

export function transferCadre(command: TransferCadre, state: CadreState): DecidedEvent<CadreTransferred>[] {
  requireRegistered(state);
  requireIdentifier('unitId', command.data.unitId);
  requireEffectiveDate(command.data.effectiveAt, command.metadata);
  return emit(command, 'CadreTransferred', command.data, command.data.effectiveAt);
}

/**
 * A promotion is refused while a lock holds on its effective date, or while a
 * `consultation-required` condition stands and no `consultationRef` is given (陕西 能上能下办法 第十六条).
 */
export function promoteCadre(command: PromoteCadre, state: CadreState, policy: PolicyPort): DecidedEvent<CadrePromoted>[] {
  requireRegistered(state);
  requireEffectiveDate(command.data.effectiveAt, command.metadata);
  const { locks, consultationRequired } = policy.promotionBlockers(command.data.effectiveAt);
  if (locks.length > 0) {
    throw new DomainError(
      'promotion-locked',
      'conflict',
      `promotion refused: ${locks.length} lock(s) hold on ${command.data.effectiveAt} (${locks.map((l) => l.ruleId).join(', ')})`,
      { locks },
    );
  }
  if (consultationRequired.length > 0 && !command.data.consultationRef) {
    throw new DomainError(
      'consultation-required',
      'conflict',
      `promotion refused: the higher organisation department must be consulted first (${consultationRequired.map((c) => c.ruleId).join(', ')}); give consultationRef`,
      { conditions: consultationRequired },
    );
  }
  return emit(command, 'CadrePromoted', command.data, command.data.effectiveAt);
}

/** Entries that cannot be retracted: the stream's origin, retractions themselves, and clock marks. */
const NOT_RETRACTABLE = new Set(['CadreRegistered', 'EntryRetracted', 'InfluencePeriodEnded', 'ConflictDetected', 'ConflictResolved']);

export function retractEntry(command: RetractEntry, state: CadreState): DecidedEvent<EntryRetracted>[] {
  const cadre = requireRegistered(state);
  const targetId = command.data.eventId;
  const target = cadre.entries.get(targetId);
  if (!target) {
    throw new DomainError('unknown-retracted-event', 'unprocessable', `${targetId} is not an event of this cadre`, { eventId: targetId });
  }
  if (target.retracted) throw new DomainError('entry-already-retracted', 'conflict', `${targetId} is already retracted`);
  if (NOT_RETRACTABLE.has(target.type)) {
    throw new DomainError('entry-not-retractable', 'conflict', `a ${target.type} cannot be retracted`);
  }
  if (target.type === 'InvestigationOpened') {
    const investigation = cadre.investigations.get(cadre.caseOfEvent.get(targetId) ?? '');
    if (investigation?.closedBy) {
      throw new DomainError('investigation-closed', 'conflict', `investigation ${investigation.caseId} is closed: retract its closure first`);
    }
  }
  // Only a case's latest step may be retracted (each procedure's steps, in order).
  const caseId = cadre.caseOfEvent.get(targetId);
  const toleranceCase = caseId === undefined || !target.type.startsWith('Tolerance') ? undefined : cadre.toleranceCases.get(caseId);
  if (toleranceCase) requireLatestStep(TOLERANCE_PROCEDURE, toleranceCase.caseId, toleranceCase.steps, targetId);
  const adjustmentCase = caseId === undefined || !(target.type.startsWith('Adjustment') || target.type === 'CadreAdjusted') ? undefined : cadre.adjustmentCases.get(caseId);
  if (adjustmentCase) requireLatestStep(ADJUSTMENT_PROCEDURE, adjustmentCase.caseId, adjustmentCase.steps, targetId);
  // A retraction takes effect when it is recorded; its effective date is the day it was made.
  return emit(command, 'EntryRetracted', command.data, command.metadata.today);
}

/** The clock's command: idempotent per lock, so two clocks or a restart never record it twice. */
export function recordInfluencePeriodEnd(
  command: RecordInfluencePeriodEnd,
  state: CadreState,
): DecidedEvent<InfluencePeriodEnded>[] {
  const cadre = requireRegistered(state);
  requireEffectiveDate(command.data.effectiveAt, command.metadata);
  if (cadre.periodsEnded.has(command.data.lockId)) return [];
  const source = cadre.entries.get(command.data.sourceEventId);
  if (!source || source.retracted) {
    throw new DomainError('unknown-source-event', 'unprocessable', `${command.data.sourceEventId} is not an event of this cadre`);
  }
  const { lockId, ruleId, sourceEventId } = command.data;
  return emit(command, 'InfluencePeriodEnded', { lockId, ruleId, sourceEventId }, command.data.effectiveAt);
}

/**
 * The conflict detector's record that a promotion lies inside a lock (选人用人 audit). The pair is
 * the detector's finding from the rules; the decider keeps the record consistent: the promotion is
 * a promotion of this cadre, a pair is open once at a time (detecting an open pair again appends
 * nothing), and occurrences count up by one (a re-sent or out-of-order detection is refused).
 */
export function recordConflictDetected(command: RecordConflictDetected, state: CadreState): DecidedEvent<ConflictDetected>[] {
  const cadre = requireRegistered(state);
  requireEffectiveDate(command.data.effectiveAt, command.metadata);
  const { promotionEventId, lockId, ruleId, sourceEventId, promotedOn, occurrence } = command.data;
  const promotion = cadre.entries.get(promotionEventId);
  if (!promotion || promotion.type !== 'CadrePromoted') {
    throw new DomainError('unknown-promotion', 'unprocessable', `${promotionEventId} is not a promotion of this cadre`, { eventId: promotionEventId });
  }
  if (!cadre.entries.has(sourceEventId)) throw new DomainError('unknown-source-event', 'unprocessable', `${sourceEventId} is not an event of this cadre`);
  const held = cadre.conflicts.get(conflictKey(promotionEventId, lockId));
  if (held?.open) return [];
  const expected = (held?.occurrence ?? 0) + 1;
  if (occurrence !== expected) {
    throw new DomainError('conflict-occurrence', 'conflict', `the pair ${promotionEventId} / ${lockId} is detected for the ${expected}th time, not the ${occurrence}th`, { expected });
  }
  return emit(command, 'ConflictDetected', { promotionEventId, lockId, ruleId, sourceEventId, promotedOn, occurrence }, command.data.effectiveAt);
}

/** The detector's record that a detected pair no longer holds; nothing when it is not open. */
export function recordConflictResolved(command: RecordConflictResolved, state: CadreState): DecidedEvent<ConflictResolved>[] {
  const cadre = requireRegistered(state);
  requireEffectiveDate(command.data.effectiveAt, command.metadata);
  const { promotionEventId, lockId, ruleId, occurrence } = command.data;
  const held = cadre.conflicts.get(conflictKey(promotionEventId, lockId));
  if (!held?.open) return [];
  if (occurrence !== held.occurrence) {
    throw new DomainError('conflict-occurrence', 'conflict', `the open detection of ${promotionEventId} / ${lockId} is the ${held.occurrence}th, not the ${occurrence}th`, { expected: held.occurrence });
  }
  return emit(command, 'ConflictResolved', { promotionEventId, lockId, ruleId, occurrence }, command.data.effectiveAt);
}
