import type { UnitAssessmentRecorded, UnitFindingRecorded, UnitRegistered, DecidedEvent } from '../events';
import type { RecordUnitAssessment, RecordUnitFinding, RegisterUnit, UnitCommand } from '../commands';
import { DomainError } from '../shared/errors';
import { yearOf } from '../shared/local-date';
import { assertNever } from '../shared/assert-never';
import { UNIT_LEVELS } from '../shared/vocabulary';
import { emit, requireEffectiveDate, requireIdentifier } from '../cadre-stream/guards';
import { requireFinding } from '../findings/validate';
import type { UnitState } from './state';

/** What a unit command may need beyond its own stream: the parent a registration names. */
export interface UnitContext {
  /** The registration of `parentUnitId`, or null when that unit was never registered. */
  parent?: UnitRegistered['data'] | null;
  isKnownJurisdiction?: (jurisdiction: string) => boolean;
}

const MAX_UNIT_NAME_LENGTH = 200;

/**
 * Units: registered once (name, level, parent); assessments and findings may be recorded on a unit
 * never registered (old data: the rules that depend on its level then do not apply, and say so).
 */
export function decideUnit(command: UnitCommand, state: UnitState, context: UnitContext = {}): DecidedEvent<UnitRegistered | UnitAssessmentRecorded | UnitFindingRecorded>[] {
  requireIdentifier('unitId', command.data.unitId);
  requireEffectiveDate(command.data.effectiveAt, command.metadata);
  switch (command.type) {
    case 'RegisterUnit':
      return registerUnit(command, state, context);
    case 'RecordUnitAssessment':
      return recordAssessment(command, state);
    case 'RecordUnitFinding':
      return recordFinding(command);
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
