import type { CadreRegistered, CadreTransferred } from './events';

/**
 * The unit a fact posts the cadre to: a registration's or a transfer's (promotions and
 * adjustments keep the cadre in its unit). The units a cadre sat in are those its postings name:
 * their facts (assessments, findings) concern the cadre.
 */
export function unitPostedTo(fact: { type: string; data: unknown }): string | undefined {
  const posting = fact as Pick<CadreRegistered | CadreTransferred, 'type' | 'data'>;
  return posting.type === 'CadreRegistered' || posting.type === 'CadreTransferred' ? posting.data.unitId : undefined;
}

/** The units a cadre sat in, each once, in the order its facts first name them. */
export function unitsSatIn(facts: readonly { type: string; data: unknown }[]): string[] {
  const units = new Set<string>();
  for (const fact of facts) {
    const unitId = unitPostedTo(fact);
    if (unitId !== undefined) units.add(unitId);
  }
  return [...units];
}
