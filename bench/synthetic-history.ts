import type { Fact } from '@cadre-ledger/domain';

/**
 * A deterministic, realistic cadre history of about `size` facts: yearly reviews and unit
 * assessments, commendations, talks, cautions, sanctions, adjustments, investigations, tolerance
 * cases and retractions, spread over the years 2005–2026 for one 陕西 cadre.
 */
export function syntheticHistory(size: number, seed = 7): Fact[] {
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const facts: Fact[] = [];
  const add = (type: string, effectiveAt: string, data: Record<string, unknown>) =>
    facts.push({
      type,
      data,
      metadata: { eventId: `e${facts.length}`, effectiveAt, recordedAt: `${effectiveAt}T0${facts.length % 10}:00:00.000123Z`, actor: 'bench', revision: facts.length },
    } as Fact);
  const position = { title: '局长', level: 'county-chief', leadership: true, principal: true };
  add('CadreRegistered', '2005-01-01', { cadreId: 'bench-1', name: '陈静', unitId: 'unit-a', jurisdiction: 'CN-SN', position });
  const years = 21;
  // Two review facts a year, the rest spread evenly; at least one other fact a year so it terminates.
  const perYear = Math.max(3, Math.round((size - 1) / years));
  for (let i = 0; facts.length < size; i++) {
    const year = 2005 + (i % years);
    const day = (n: number) => `${year + 1}-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 27)).padStart(2, '0')}`;
    if (i < years) {
      add('AnnualReviewRecorded', `${year + 1}-01-15`, { year, grade: pick(['excellent', 'excellent', 'competent', 'basically-competent', 'incompetent']), unfavourableVoteShare: random() * 0.4 });
      add('UnitAssessmentRecorded', `${year + 1}-02-01`, { unitId: 'unit-a', year, grade: pick(['excellent', 'good', 'average', 'poor']) });
    }
    for (let k = 0; k < perYear - 2 && facts.length < size; k++) {
      const at = day(i * 7 + k);
      if (at > '2026-11-22') continue;
      switch (pick(['commendation', 'talk', 'caution', 'sanction', 'adjustment', 'investigation', 'tolerance', 'retraction'])) {
        case 'commendation':
          add('CommendationIssued', at, { level: pick(['national', 'provincial', 'municipal', 'county']), kind: pick(['citation', 'merit-third-class', 'public-praise']), title: '表彰' });
          break;
        case 'talk':
          add('TalkHeld', at, { kind: pick(['reminder', 'admonition']), reason: '谈话' });
          break;
        case 'caution':
          add('CautionIssued', at, { reason: '诫勉' });
          break;
        case 'sanction':
          add('SanctionImposed', at, pick([{ system: 'party', kind: 'warning' }, { system: 'party', kind: 'serious-warning' }, { system: 'administrative', kind: 'demerit' }]));
          break;
        case 'adjustment':
          add('CadreAdjusted', at, { kind: pick(['transfer-out', 'non-leadership', 'removal', 'demotion']), newPosition: position });
          break;
        case 'investigation':
          add('InvestigationOpened', at, { caseId: `k${facts.length}` });
          add('InvestigationClosed', at, { caseId: `k${facts.length - 1}` });
          break;
        case 'tolerance': {
          const covered = facts[facts.length - 1].metadata.eventId;
          add('ToleranceRequested', at, { caseId: `t${facts.length}`, situation: 'SN-1', covers: [covered], initiatedBy: 'applicant' });
          add('ToleranceDecided', at, { caseId: `t${facts.length - 1}`, outcome: pick(['exempted', 'mitigated', 'rejected']), mitigatedTo: { system: 'party', kind: 'warning' }, reason: '认定' });
          break;
        }
        case 'retraction':
          add('EntryRetracted', at, { eventId: facts[1 + Math.floor(random() * (facts.length - 1))].metadata.eventId, reason: '录入错误' });
          break;
      }
    }
  }
  return facts.slice(0, size);
}
