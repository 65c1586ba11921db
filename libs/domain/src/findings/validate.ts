import { DomainError } from '../shared/errors';
import { yearOf, type LocalDate } from '../shared/local-date';
import { CRITICISED_BY, FINDING_CATEGORIES, IDENTIFIER_PATTERN, INCIDENT_LEVELS, type FindingCategory, type FindingField } from '../shared/vocabulary';
import type { FindingDetails } from '../units/events';

/** Kinds that are accidents or incidents: they carry their grade (`level`), which the counts read. */
const GRADED_KINDS = ['production-accident', 'food-drug-accident', 'mass-incident', 'public-security-incident'];

/** Who may be said to have criticised, per category (the bodies its articles name). */
const CRITICS: Partial<Record<FindingCategory, readonly string[]>> = {
  'party-building': ['central-organization-department', 'central-propaganda-department', 'provincial-committee'],
  'poverty-alleviation': ['central-committee-or-state-council', 'provincial-committee-or-government'],
  ecology: ['central-committee-or-state-council', 'provincial-committee-or-government'],
  safety: ['central-committee-or-state-council', 'provincial-committee-or-government'],
};

const MAX_NAMED_CADRES = 50;

/**
 * A finding's category, kind and extra fields must make one of the combinations of API.md
 * ("Findings"); a bad one is a 400 naming what is allowed, so that the caller can correct it.
 */
export function requireFinding(on: 'unit' | 'cadre', category: string, kind: string, details: FindingDetails, effectiveAt: LocalDate): void {
  const allowedCategories = (Object.keys(FINDING_CATEGORIES) as FindingCategory[]).filter((c) => FINDING_CATEGORIES[c].on === on);
  if (!(allowedCategories as string[]).includes(category)) {
    throw new DomainError('invalid-finding-category', 'invalid', `category must be one of ${allowedCategories.join(', ')} for a ${on} finding, got ${JSON.stringify(category)}`, { allowedCategories });
  }
  const spec = FINDING_CATEGORIES[category as FindingCategory];
  const allowedKinds = spec.kinds as readonly string[];
  if (!allowedKinds.includes(kind)) {
    throw new DomainError('invalid-finding-kind', 'invalid', `kind must be one of ${allowedKinds.join(', ')} for category ${category}, got ${JSON.stringify(kind)}`, { category, allowedKinds });
  }
  const fields = spec.fields as readonly FindingField[];
  for (const field of ['year', 'criticisedBy', 'level', 'cadreIds'] as const) {
    if (details[field] !== undefined && !fields.includes(field)) {
      throw new DomainError('finding-field-not-applicable', 'invalid', `${field} does not apply to category ${category}${fields.length ? ` (it takes ${fields.join(', ')})` : ''}`, { field, category, allowedFields: fields });
    }
  }
  if (details.year !== undefined && (!Number.isInteger(details.year) || details.year < 1949 || details.year > yearOf(effectiveAt))) {
    throw new DomainError('invalid-finding-year', 'invalid', `year must be a whole number from 1949 to the year of effectiveAt (${yearOf(effectiveAt)}), got ${details.year}`);
  }
  const graded = GRADED_KINDS.includes(kind);
  if (graded && details.level === undefined) {
    throw new DomainError('finding-level-required', 'invalid', `a ${kind} finding needs its level: one of ${INCIDENT_LEVELS.join(', ')}`, { allowedLevels: INCIDENT_LEVELS });
  }
  if (details.level !== undefined) {
    if (!graded) throw new DomainError('finding-field-not-applicable', 'invalid', `level applies only to ${GRADED_KINDS.join(', ')}, not to ${kind}`, { field: 'level', category });
    if (!(INCIDENT_LEVELS as readonly string[]).includes(details.level)) {
      throw new DomainError('invalid-finding-level', 'invalid', `level must be one of ${INCIDENT_LEVELS.join(', ')}, got ${JSON.stringify(details.level)}`, { allowedLevels: INCIDENT_LEVELS });
    }
  }
  if (details.criticisedBy !== undefined) {
    const critics = CRITICS[category as FindingCategory] ?? CRITICISED_BY;
    if (!critics.includes(details.criticisedBy)) {
      throw new DomainError('invalid-criticised-by', 'invalid', `criticisedBy must be one of ${critics.join(', ')} for category ${category}, got ${JSON.stringify(details.criticisedBy)}`, { allowedCriticisedBy: critics });
    }
  }
  if (details.cadreIds !== undefined) {
    const ids = details.cadreIds;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_NAMED_CADRES) {
      throw new DomainError('invalid-cadre-ids', 'invalid', `cadreIds must name 1 to ${MAX_NAMED_CADRES} cadres`);
    }
    const bad = ids.find((id) => typeof id !== 'string' || !IDENTIFIER_PATTERN.test(id));
    if (bad !== undefined) throw new DomainError('invalid-cadre-ids', 'invalid', `cadreIds: ${JSON.stringify(bad)} is not an identifier (${IDENTIFIER_PATTERN.source})`);
    if (new Set(ids).size !== ids.length) throw new DomainError('invalid-cadre-ids', 'invalid', 'cadreIds names a cadre twice');
  }
}
