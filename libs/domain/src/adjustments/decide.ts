import type { AdjustmentApproved, AdjustmentReported, AdjustmentReviewed, AdjustmentTalkHeld, CadreAdjusted, DecidedEvent } from '../events';
import type { AdjustCadre, ApproveAdjustment, HoldAdjustmentTalk, ReportAdjustment, ReviewAdjustment } from '../commands';
import type { PolicyPort } from '../policy-port';
import { DomainError } from '../shared/errors';
import type { LocalDate } from '../shared/local-date';
import { ADJUSTMENT_KINDS } from '../shared/vocabulary';
import { emit, requireEffectiveDate, requireIdentifier, requireMeasureTakenBy, requireRegistered, type DateBounds } from '../cadre-stream/guards';
import type { CadreState, RegisteredCadre } from '../cadre-stream/state';
import { requireNextStep } from '../shared/procedure';
import { ADJUSTMENT_PROCEDURE, type AdjustmentCaseStep } from './procedure';
import { adjustmentStep, isClosedUnadjusted, type AdjustmentCase } from './state';

/** 能下. A removal (免职) leaves no post; every other adjustment names the post the cadre moves to. */
export function adjustCadre(command: AdjustCadre, state: CadreState): DecidedEvent<CadreAdjusted>[] {
  requireRegistered(state);
  const { kind, newPosition, effectiveAt } = command.data;
  requireEffectiveDate(effectiveAt, command.metadata);
  if (kind === 'removal' && newPosition) {
    throw new DomainError('removal-with-position', 'unprocessable', 'a removal (免职) leaves the cadre without a post: omit newPosition');
  }
  if (kind === 'non-leadership' && newPosition?.leadership) {
    throw new DomainError('non-leadership-position-is-leading', 'unprocessable', '改任非领导职务: newPosition.leadership must be false');
  }
  requireMeasureTakenBy(command.data.measureTakenBy);
  if (command.data.caseId !== undefined) requireDecision(requireRegistered(state), command.data.caseId, kind, effectiveAt, command.metadata);
  return emit(command, 'CadreAdjusted', command.data, effectiveAt);
}

/**
 * 第十五条(一) 报告. The case answers review triggers standing on its date that an adjustment
 * resolves; naming any other is a 422 listing those that stand.
 */
export function reportAdjustment(command: ReportAdjustment, state: CadreState, policy: PolicyPort): DecidedEvent<AdjustmentReported>[] {
  const cadre = requireRegistered(state);
  const { caseId, triggers, report, effectiveAt } = command.data;
  requireIdentifier('caseId', caseId);
  requireEffectiveDate(effectiveAt, command.metadata);
  if (cadre.adjustmentCases.has(caseId) && adjustmentStep(cadre.adjustmentCases.get(caseId)) !== null) {
    throw new DomainError('adjustment-case-duplicate', 'conflict', `adjustment case ${caseId} already exists`);
  }
  if (!(ADJUSTMENT_KINDS as readonly string[]).includes(report.proposedKind)) {
    throw new DomainError('invalid-adjustment-kind', 'invalid', `report.proposedKind must be one of ${ADJUSTMENT_KINDS.join(', ')}`);
  }
  if (triggers.length === 0 || new Set(triggers).size !== triggers.length) {
    throw new DomainError('invalid-triggers', 'invalid', 'triggers must name at least one review trigger (its ruleId), each once');
  }
  const open = policy.openReviewTriggers(effectiveAt).filter((t) => t.answeredByAdjustment);
  const unrelated = triggers.filter((ruleId) => !open.some((t) => t.ruleId === ruleId));
  if (unrelated.length > 0) {
    const standing = open.map((t) => `${t.ruleId} (${t.kind}, since ${t.since})`);
    throw new DomainError(
      'trigger-not-open',
      'unprocessable',
      `${unrelated.join(', ')}: not a review trigger an adjustment answers standing on ${effectiveAt}; standing: ${standing.length > 0 ? standing.join(', ') : 'none'}`,
      { openTriggers: open.map((t) => t.ruleId) },
    );
  }
  return emit(command, 'AdjustmentReported', command.data, effectiveAt);
}

/** 第十五条(二) 审核, noting whether the cadre's own account was heard (注重听取干部本人说明). */
export function reviewAdjustment(command: ReviewAdjustment, state: CadreState): DecidedEvent<AdjustmentReviewed>[] {
  const cadre = requireRegistered(state);
  requireNextAdjustmentStep(cadre, command.data.caseId, 'reviewed', command.data.effectiveAt, command.metadata);
  return emit(command, 'AdjustmentReviewed', command.data, command.data.effectiveAt);
}

/** 第十五条(三) 报批: only after a review that heard the cadre; `approved: false` closes the case unadjusted. */
export function approveAdjustment(command: ApproveAdjustment, state: CadreState): DecidedEvent<AdjustmentApproved>[] {
  const cadre = requireRegistered(state);
  const { caseId, approved, kind, effectiveAt } = command.data;
  const adjustmentCase = requireNextAdjustmentStep(cadre, caseId, 'approved', effectiveAt, command.metadata);
  if (adjustmentCase.cadreStatementHeard !== true) {
    throw new DomainError('cadre-not-heard', 'unprocessable', `adjustment case ${caseId}: the review did not hear the cadre's own account (第十五条(二) 注重听取干部本人说明); retract the review and review again`);
  }
  if (!approved && kind !== undefined) throw new DomainError('kind-without-approval', 'invalid', 'kind goes with approved: true only');
  if (kind !== undefined && !(ADJUSTMENT_KINDS as readonly string[]).includes(kind)) {
    throw new DomainError('invalid-adjustment-kind', 'invalid', `kind must be one of ${ADJUSTMENT_KINDS.join(', ')}`);
  }
  return emit(command, 'AdjustmentApproved', command.data, effectiveAt);
}

/** 第十五条(五) 谈话, after the decision. */
export function holdAdjustmentTalk(command: HoldAdjustmentTalk, state: CadreState): DecidedEvent<AdjustmentTalkHeld>[] {
  const cadre = requireRegistered(state);
  requireNextAdjustmentStep(cadre, command.data.caseId, 'talked', command.data.effectiveAt, command.metadata);
  return emit(command, 'AdjustmentTalkHeld', command.data, command.data.effectiveAt);
}

/** 第十五条(四) 决定: an approved case, the approved kind or a lighter one (ADJUSTMENT_KINDS, lightest first). */
function requireDecision(cadre: RegisteredCadre, caseId: string, kind: CadreAdjusted['data']['kind'], effectiveAt: LocalDate, dates: DateBounds): void {
  // At step `approved` and not closed (requireNextAdjustmentStep), so the case was approved with a kind.
  const adjustmentCase = requireNextAdjustmentStep(cadre, caseId, 'decided', effectiveAt, dates);
  if (adjustmentCase.approvedKind !== null && ADJUSTMENT_KINDS.indexOf(kind) > ADJUSTMENT_KINDS.indexOf(adjustmentCase.approvedKind)) {
    throw new DomainError('decision-heavier-than-approved', 'unprocessable', `adjustment case ${caseId} was approved as ${adjustmentCase.approvedKind}; ${kind} is heavier (${ADJUSTMENT_KINDS.join(' < ')})`, {
      approvedKind: adjustmentCase.approvedKind,
    });
  }
}

/** The case is open and at the step before this one, dated on or after it (ADJUSTMENT_PROCEDURE; 409 otherwise, API.md). */
function requireNextAdjustmentStep(cadre: RegisteredCadre, caseId: string, step: Exclude<AdjustmentCaseStep, 'reported'>, effectiveAt: LocalDate, dates: DateBounds): AdjustmentCase {
  requireEffectiveDate(effectiveAt, dates);
  const adjustmentCase = cadre.adjustmentCases.get(caseId);
  if (adjustmentCase && isClosedUnadjusted(adjustmentCase)) {
    throw new DomainError('adjustment-case-closed', 'conflict', `adjustment case ${caseId} was not approved: it is closed, recorded, not adjusted`, { currentStep: 'approved' });
  }
  requireNextStep(ADJUSTMENT_PROCEDURE, caseId, adjustmentCase?.steps, step, effectiveAt);
  return adjustmentCase!;
}
