import { loadRuleBook, type RuleSource } from '../loader';
import { evaluate } from './evaluate';
import type { Fact } from '@cadre-ledger/domain';

/**
 * The day-counting convention is a rule-set parameter (schema.ts, PERIOD_END_CONVENTIONS): the
 * shipped sets keep "N months from D end (exclusive) on D + N months"; a set may choose the reading
 * of 民法典 第二百零一条/第二百零二条, under which D is not counted and D + N months is the last day.
 */
const book = (periodEnd?: string): ReturnType<typeof loadRuleBook> =>
  loadRuleBook(
    [
      {
        name: 'T.yaml',
        text: `ruleSet: T\nversion: T\ntitle: t\neffectiveFrom: 2000-01-01\neffectiveTo: null\n${periodEnd ? `parameters: { periodEnd: ${periodEnd} }\n` : ''}rules:
  - id: T/caution
    when: { fact: CautionIssued }
    effect: { kind: lock, lock: caution, duration: { months: 6 } }
    citation: { document: 文件, article: 第一条, text: 条文 }
    sourceQuality: secondary\n`,
      },
    ],
    { name: 'jurisdictions.yaml', text: 'jurisdictions:\n  T: [T]\n' } satisfies RuleSource,
  );

const history = [
  { type: 'CadreRegistered', data: { cadreId: 'c', name: '王', unitId: 'u', jurisdiction: 'T', position: { title: '局长', level: 'county-chief', leadership: true, principal: true } }, metadata: { eventId: 'r', effectiveAt: '2020-01-01', recordedAt: '2020-01-01T00:00:00Z', actor: 'a', revision: 0 } },
  { type: 'CautionIssued', data: { reason: '诫勉' }, metadata: { eventId: 'c1', effectiveAt: '2021-03-15', recordedAt: '2021-03-15T00:00:00Z', actor: 'a', revision: 1 } },
] as Fact[];
const until = (periodEnd?: string) => evaluate(book(periodEnd), history, { asOf: '2021-04-01', knownAt: '2030-01-01T00:00:00Z' }).locks[0].until;

describe('day counting', () => {
  it('ends six months from 2021-03-15 on 2021-09-15 (exclusive) by default: the lock last holds on 2021-09-14', () => {
    expect(until()).toBe('2021-09-15');
    expect(until('same-day')).toBe('2021-09-15');
  });

  it('ends a day later under 民法典 第二百零一条: 2021-09-15 is the last day', () => {
    expect(until('civil-code-201')).toBe('2021-09-16');
  });
});
