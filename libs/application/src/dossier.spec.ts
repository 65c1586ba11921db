import type { Fact } from '@cadre-ledger/domain';
import type { Verdict, VerdictEntry, VerdictLock } from '@cadre-ledger/policy';
import { dossierClauses, dossierConclusion } from './dossier';

const citation = (article: string, text: string) => ({ document: '陕西省推进省管党政领导干部能上能下办法(试行)', article, text });
const lock = (over: Partial<VerdictLock>): VerdictLock => ({ lockId: 'l-1', kind: 'demotion', ruleId: 'CN-SN/NSX-16b', from: '2025-06-01', until: '2027-06-01', sourceEventId: 'e-1', citation: citation('第十六条', '降职的,两年内不得提拔'), ruleSet: 'CN-SN-2018', ...over });
const entry = (over: Partial<VerdictEntry>): VerdictEntry => ({ ruleId: 'CN-SN/JL-7-1', kind: 'three-years-excellent', since: '2024-01-20', sourceEventId: 'e-2', citation: citation('第七条(一)', '……优先提拔使用。'), ruleSet: 'CN-SN-2018', ...over });
const verdict = (over: Partial<Verdict>): Verdict => ({ cadreId: 'c', asOf: '2026-06-30', knownAt: '2026-07-01T00:00:00Z', promotable: true, locks: [], priorities: [], reviewTriggers: [], conditions: [], benefits: [], exclusions: [], ruleSets: ['CN-SN-2018'], neutralised: [], notes: [], ...over });
const fact = (eventId: string, type: string, effectiveAt: string, documentRef: string | null): Fact =>
  ({ type, data: {}, metadata: { eventId, effectiveAt, actor: 'a', documentRef, recordedAt: `${effectiveAt}T00:00:00Z` } }) as unknown as Fact;

describe('the dossier of one candidate', () => {
  it('concludes "不得提拔" naming each lock, its end and its clause; an open-ended lock says so', () => {
    const locked = verdict({ promotable: false, locks: [lock({}), lock({ lockId: 'l-2', kind: 'investigation', ruleId: 'CN/X', until: null, citation: { document: '条例', article: '第五条', text: '……' } })] });
    expect(dossierConclusion('李明', locked)).toBe('不得提拔:李明截至2026-06-30处于降职影响期(至2027-06-01前,《陕西省推进省管党政领导干部能上能下办法(试行)》第十六条)、立案审查调查影响期(期限未定,《条例》第五条)。');
  });

  it('concludes "可以提名" and names the conditions, the review triggers and the priorities that apply', () => {
    expect(dossierConclusion('王芳', verdict({}))).toBe('可以提名:王芳截至2026-06-30无影响提拔的情形。');
    const full = verdict({ conditions: [entry({ ruleId: 'C', kind: 'consultation-required', citation: { document: '甲', article: '第一条', text: 't' } })], reviewTriggers: [entry({ ruleId: 'T', kind: 'adjustment-review', citation: { document: '乙', article: '第七条', text: 't' } })], priorities: [entry({})] });
    expect(dossierConclusion('王芳', full)).toBe('可以提名:王芳截至2026-06-30无影响提拔的情形;但须符合《甲》第一条规定的条件;另有1项待研究的调整情形(《乙》第七条);符合《陕西省推进省管党政领导干部能上能下办法(试行)》第七条(一)的优先情形。');
  });

  it('gives one clause per rule with every effect it produced and each fact behind it once, oldest first', () => {
    const v = verdict({ priorities: [entry({ sourceEventId: 'e-3' }), entry({ kind: 'other', sourceEventId: 'e-2' }), entry({ kind: 'again', sourceEventId: 'e-3' })], locks: [lock({})] });
    const facts = [fact('e-1', 'CadreAdjusted', '2025-06-01', '陕组发〔2025〕12号'), fact('e-2', 'AnnualReviewRecorded', '2023-01-20', null), fact('e-3', 'AnnualReviewRecorded', '2024-01-20', '陕考发〔2024〕3号')];
    const clauses = dossierClauses(v, facts);
    expect(clauses.map((c) => c.ruleId)).toEqual(['CN-SN/NSX-16b', 'CN-SN/JL-7-1']);
    expect(clauses[0]).toMatchObject({ article: '第十六条', text: '降职的,两年内不得提拔', facts: [{ eventId: 'e-1', typeZh: '调整(能下)', documentRef: '陕组发〔2025〕12号' }] });
    expect(clauses[1].effects.map((e) => e.kind)).toEqual(['three-years-excellent', 'other', 'again']);
    expect(clauses[1].facts.map((f) => [f.eventId, f.documentRef])).toEqual([['e-2', null], ['e-3', '陕考发〔2024〕3号']]);
  });
});
