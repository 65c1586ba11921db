import type { ExcellenceQuotaClaimed, ExcellenceQuotaReleased, UnitAssessmentRecorded, UnitFindingRecorded, UnitQuotaSet, UnitRegistered, DecidedEvent } from '../events';
import type { ClaimExcellenceQuota, ReleaseExcellenceQuota, RecordUnitAssessment, RecordUnitFinding, RegisterUnit, SetUnitQuota, UnitCommand } from '../commands';
import type { ExcellenceQuota } from '../policy-port';
import type { UnitGrade } from '../shared/vocabulary';
import { DomainError } from '../shared/errors';
import { yearOf } from '../shared/local-date';
import { assertNever } from '../shared/assert-never';
import { UNIT_LEVELS } from '../shared/vocabulary';
import { emit, requireEffectiveDate, requireIdentifier } from '../cadre-stream/guards';
import { requireFinding } from '../findings/validate';
import { evolveUnit, initialUnitState, type UnitState } from './state';
import type { Decider } from '../shared/decider';
import type { UnitEvent } from '../events';
import { QUOTA_RELEASE_REASONS } from './events';

/** What a unit command may need beyond its own stream: the parent a registration names. */
export interface UnitContext {
  /** The registration of `parentUnitId`, or null when that unit was never registered. */
  parent?: UnitRegistered['data'] | null;
  isKnownJurisdiction?: (jurisdiction: string) => boolean;
  /** The quota rule in force for this unit (its jurisdiction, today, its grade for the year). */
  excellenceQuota?: (jurisdiction: string, unitGrade: UnitGrade | undefined) => ExcellenceQuota | null;
}

const MAX_UNIT_NAME_LENGTH = 200;

/**
 * Units: registered once (name, level, parent); assessments and findings may be recorded on a unit
 * never registered (old data: the rules that depend on its level then do not apply, and say so).
 */
export function decideUnit(
  command: UnitCommand,
  state: UnitState,
  context: UnitContext = {},
): DecidedEvent<UnitRegistered | UnitAssessmentRecorded | UnitFindingRecorded | UnitQuotaSet | ExcellenceQuotaClaimed | ExcellenceQuotaReleased>[] {
  requireIdentifier('unitId', command.data.unitId);
  requireEffectiveDate(command.data.effectiveAt, command.metadata);
  switch (command.type) {
    case 'RegisterUnit':
      return registerUnit(command, state, context);
    case 'RecordUnitAssessment':
      return recordAssessment(command, state);
    case 'RecordUnitFinding':
      return recordFinding(command);
    case 'SetUnitQuota':
      return setQuota(command, state);
    case 'ClaimExcellenceQuota':
      return claimExcellence(command, state, context);
    case 'ReleaseExcellenceQuota':
      return releaseExcellence(command, state);
    default:
      return assertNever(command);
  }
}

function registerUnit(command: RegisterUnit, state: UnitState, context: UnitContext): DecidedEvent<UnitRegistered>[] {
  const { unitId, name, level, parentUnitId, jurisdiction, effectiveAt } = command.data;
  if (state.registration) throw new DomainError('unit-already-registered', 'conflict', `unit ${unitId} is already registered (${state.registration.name})`);
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > MAX_UNIT_NAME_LENGTH) {
    throw new DomainError('invalid-unit-name', 'invalid', `name must be 1 to ${MAX_UNIT_NAME_LENGTH} characters`);
  }
  if (!(UNIT_LEVELS as readonly string[]).includes(level)) {
    throw new DomainError('invalid-unit-level', 'invalid', `level must be one of ${UNIT_LEVELS.join(', ')}, got ${JSON.stringify(level)}`, { allowedLevels: UNIT_LEVELS });
  }
  if (context.isKnownJurisdiction && !context.isKnownJurisdiction(jurisdiction)) {
    throw new DomainError('unknown-jurisdiction', 'unprocessable', `jurisdiction ${jurisdiction} is not configured`);
  }
  if (parentUnitId !== undefined) {
    requireIdentifier('parentUnitId', parentUnitId);
    if (parentUnitId === unitId) throw new DomainError('unit-own-parent', 'unprocessable', `unit ${unitId} cannot be its own parent`);
    if (context.parent === null) throw new DomainError('parent-unit-not-registered', 'unprocessable', `parent unit ${parentUnitId} is not registered: register it first`);
    if (context.parent?.level === 'department' && level !== 'department') {
      throw new DomainError('invalid-unit-parent', 'unprocessable', `a ${level} unit cannot sit under a department (${parentUnitId})`);
    }
  }
  if (level === 'department' && parentUnitId === undefined) {
    throw new DomainError('department-parent-required', 'invalid', 'a department needs parentUnitId: its level is that of its parent');
  }
  return emit<UnitRegistered>(command, 'UnitRegistered', command.data, effectiveAt);
}

function recordAssessment(command: RecordUnitAssessment, state: UnitState): DecidedEvent<UnitAssessmentRecorded>[] {
  const { unitId, year, effectiveAt } = command.data;
  if (!Number.isInteger(year) || year < 1949) {
    throw new DomainError('invalid-assessment-year', 'invalid', `year must be a whole number from 1949 on, got ${year}`);
  }
  if (year > yearOf(effectiveAt)) {
    throw new DomainError('assessment-year-after-decision', 'unprocessable', `the ${year} assessment cannot take effect on ${effectiveAt}`);
  }
  const existing = state.assessmentYears.get(year);
  if (existing) {
    throw new DomainError('unit-assessment-year-duplicate', 'conflict', `unit ${unitId} already has its ${year} assessment (${existing})`);
  }
  return emit<UnitAssessmentRecorded>(command, 'UnitAssessmentRecorded', command.data, effectiveAt);
}

function recordFinding(command: RecordUnitFinding): DecidedEvent<UnitFindingRecorded>[] {
  const { category, kind, effectiveAt } = command.data;
  requireFinding('unit', category, kind, command.data, effectiveAt);
  return emit<UnitFindingRecorded>(command, 'UnitFindingRecorded', command.data, effectiveAt);
}

/** The assessed headcount a year's 优秀 quota is a share of; a registered unit only (404 otherwise). */
function setQuota(command: SetUnitQuota, state: UnitState): DecidedEvent<UnitQuotaSet>[] {
  const { unitId, year, assessedHeadcount, effectiveAt } = command.data;
  if (!state.registration) throw new DomainError('unit-not-found', 'not-found', `unit ${unitId} is not registered: register it before setting its quota`);
  if (!Number.isInteger(year) || year < 1949 || year > yearOf(effectiveAt) + 1) {
    throw new DomainError('invalid-quota-year', 'invalid', `year must be a whole number from 1949 to the year after effectiveAt, got ${year}`);
  }
  if (!Number.isInteger(assessedHeadcount) || assessedHeadcount < 0 || assessedHeadcount > 1_000_000) {
    throw new DomainError('invalid-headcount', 'invalid', `assessedHeadcount must be a whole number from 0 to 1000000, got ${assessedHeadcount}`);
  }
  return emit<UnitQuotaSet>(command, 'UnitQuotaSet', command.data, effectiveAt);
}

/**
 * Counts one excellent review against the unit's quota for its year (API.md, "Excellence quotas,
 * exactly"): limit floor(assessedHeadcount × rate) of the rule in force, or × cap with a
 * quotaOverrideRef. No quota set for the year: nothing to count. Already counted: nothing to do.
 */
function claimExcellence(command: ClaimExcellenceQuota, state: UnitState, context: UnitContext): DecidedEvent<ExcellenceQuotaClaimed>[] {
  const { unitId, year, reviewEventId, quotaOverrideRef, effectiveAt } = command.data;
  const headcount = state.quotas.get(year);
  if (headcount === undefined || !state.registration) return [];
  const claimed = state.claims.get(year);
  if (claimed?.has(reviewEventId)) return [];
  const quota = context.excellenceQuota?.(state.registration.jurisdiction, state.assessmentGrades.get(year)) ?? null;
  if (!quota) return [];
  const limit = Math.floor(headcount * (quotaOverrideRef ? quota.cap : quota.rate) + 1e-9);
  const used = claimed?.size ?? 0;
  if (used >= limit) {
    throw new DomainError(
      'excellence-quota-exceeded',
      'conflict',
      `unit ${unitId} has ${used} excellent grades for ${year}, the most ${quota.ruleId} allows (${limit} of ${headcount} assessed${quotaOverrideRef ? ', with the override' : ''}): ${quota.citation.document} ${quota.citation.article} "${quota.citation.text}"`,
      { ruleId: quota.ruleId, citation: quota.citation, year, limit, used, assessedHeadcount: headcount },
    );
  }
  const data = { ...command.data, ruleId: quota.ruleId, limit };
  return emit<ExcellenceQuotaClaimed>({ ...command, data }, 'ExcellenceQuotaClaimed', data, effectiveAt);
}

/**
 * Gives a claimed place back. Only the command path issues it, once it has read that the review
 * was retracted, or that it was never stored although the claim is older than its lease. A place
 * not (or no longer) claimed: nothing to do, so a repeated release appends nothing.
 */
function releaseExcellence(command: ReleaseExcellenceQuota, state: UnitState): DecidedEvent<ExcellenceQuotaReleased>[] {
  const { year, reviewEventId, reason, effectiveAt } = command.data;
  if (!(QUOTA_RELEASE_REASONS as readonly string[]).includes(reason)) {
    throw new DomainError('invalid-release-reason', 'invalid', `reason must be one of ${QUOTA_RELEASE_REASONS.join(', ')}, got ${JSON.stringify(reason)}`);
  }
  if (!state.claims.get(year)?.has(reviewEventId)) return [];
  return emit<ExcellenceQuotaReleased>(command, 'ExcellenceQuotaReleased', command.data, effectiveAt);
}

/** The decider of `unit-{unitId}` streams. */
export const unitDecider: Decider<UnitState, UnitCommand, UnitEvent, UnitContext> = { decide: decideUnit, evolve: evolveUnit, initialState: initialUnitState };
