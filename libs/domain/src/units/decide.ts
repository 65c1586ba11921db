import type { UnitAssessmentRecorded, DecidedEvent } from '../events';
import type { RecordUnitAssessment } from '../commands';
import { DomainError } from '../shared/errors';
import { yearOf } from '../shared/local-date';
import { emit, requireEffectiveDate, requireIdentifier } from '../cadre-stream/guards';
import type { UnitState } from './state';

/** Units need no registration; one assessment per unit and year. */
export function decideUnit(command: RecordUnitAssessment, state: UnitState): DecidedEvent<UnitAssessmentRecorded>[] {
  const { unitId, year, effectiveAt } = command.data;
  requireIdentifier('unitId', unitId);
  requireEffectiveDate(effectiveAt, command.metadata);
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
