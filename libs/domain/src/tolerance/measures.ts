import type { MitigatedTo } from './events';
import { ADJUSTMENT_KINDS, ADMINISTRATIVE_SANCTIONS, PARTY_SANCTIONS, type AdjustmentKind, type SanctionSystem } from '../shared/vocabulary';

/**
 * A covered fact as a measure on the scales of API.md ("Mitigation is lighter, and keeps the kind
 * of what it mitigates"). 减责 (容错纠错办法 第九条(五): "酌情从轻、减轻处分或组织处理") lightens a
 * measure, so what a mitigation names must lie below every fact it covers.
 */
export type Measure =
  | { system: SanctionSystem; kind: string; probationMonths?: number }
  | { system: 'organizational'; kind: AdjustmentKind }
  | { system: 'caution' }
  | { system: 'talk'; kind: string };

/** Lightest first. A caution is below every organizational measure, both below every sanction. */
export const SCALES = {
  party: PARTY_SANCTIONS as readonly string[],
  administrative: ADMINISTRATIVE_SANCTIONS as readonly string[],
  organizational: ADJUSTMENT_KINDS as readonly string[],
};

export const describeScales = (): string =>
  `caution < organizational ${SCALES.organizational.join(' < ')}; party ${SCALES.party.join(' < ')}; administrative ${SCALES.administrative.join(' < ')}; any caution or organizational measure < any sanction`;

const label = (m: Measure | MitigatedTo): string =>
  m.system === 'caution' ? 'a caution' : m.system === 'talk' ? `a talk (${m.kind})` : `${m.system} ${m.kind}${'probationMonths' in m && m.probationMonths ? ` (${m.probationMonths} months)` : ''}`;

/** Why `candidate` is not lighter than `covered`, or null when it is. */
export function notLighter(candidate: MitigatedTo, covered: Measure): string | null {
  const refuse = (why: string) => `${label(candidate)} is not lighter than ${label(covered)}: ${why}`;
  switch (covered.system) {
    case 'talk':
      return `${label(covered)} has no lighter measure: exempt it, or reject the case`;
    case 'caution':
      return `${label(covered)} is the lightest measure there is: exempt it, or reject the case`;
    case 'organizational':
      if (candidate.system === 'caution') return null;
      if (candidate.system !== 'organizational') return refuse('a sanction is heavier than any organizational measure');
      return SCALES.organizational.indexOf(candidate.kind) < SCALES.organizational.indexOf(covered.kind) ? null : refuse(`organizational measures go ${SCALES.organizational.join(' < ')}`);
    default: {
      if (candidate.system === 'caution' || candidate.system === 'organizational') return null;
      if (candidate.system !== covered.system) return refuse(`${candidate.system} and ${covered.system} sanctions are different scales`);
      const scale = SCALES[covered.system];
      const [c, f] = [scale.indexOf(candidate.kind), scale.indexOf(covered.kind)];
      if (c < f) return null;
      // 留党察看: a shorter probation is lighter than a longer one.
      if (c === f && covered.kind === 'probation' && (candidate as { probationMonths?: number }).probationMonths !== undefined && (covered.probationMonths ?? 24) > ((candidate as { probationMonths?: number }).probationMonths ?? 24)) return null;
      return refuse(`${covered.system} sanctions go ${scale.join(' < ')}`);
    }
  }
}
