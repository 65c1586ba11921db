import fc from 'fast-check';
import { instantKey, type Fact } from '@cadre-ledger/domain';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { evaluate, explain } from './evaluate';
import { asOfDate, cadreHistory, knownAtInstant } from '../testing/arbitraries';

const ruleBook = readRuleBook();
const runs = { numRuns: 300 };

describe('evaluate (properties over generated histories)', () => {
  it('is deterministic, whatever order the stream is handed over in', () => {
    fc.assert(
      fc.property(cadreHistory, asOfDate, knownAtInstant, fc.integer(), ({ history }, asOf, knownAt, seed) => {
        const first = evaluate(ruleBook, history, { asOf, knownAt });
        expect(evaluate(ruleBook, history, { asOf, knownAt })).toEqual(first);
        const shuffled = [...history].sort((a, b) => hash(a.metadata.eventId, seed) - hash(b.metadata.eventId, seed));
        expect(evaluate(ruleBook, shuffled, { asOf, knownAt })).toEqual(first);
      }),
      runs,
    );
  });

  it('never changes its answer at knownAt when facts recorded after knownAt are added', () => {
    fc.assert(
      fc.property(cadreHistory, asOfDate, knownAtInstant, ({ history }, asOf, knownAt) => {
        const known = history.filter((f) => instantKey(f.metadata.recordedAt) <= instantKey(knownAt));
        expect(evaluate(ruleBook, history, { asOf, knownAt })).toEqual(evaluate(ruleBook, known, { asOf, knownAt }));
      }),
      runs,
    );
  });

  it('says promotable exactly when no lock holds, and every lock it lists holds on asOf', () => {
    fc.assert(
      fc.property(cadreHistory, asOfDate, knownAtInstant, ({ history }, asOf, knownAt) => {
        const verdict = evaluate(ruleBook, history, { asOf, knownAt });
        expect(verdict.promotable).toBe(verdict.locks.length === 0);
        for (const lock of verdict.locks) {
          expect(lock.from <= asOf).toBe(true);
          expect(lock.until === null || asOf < lock.until).toBe(true);
        }
        for (const entry of [...verdict.priorities, ...verdict.reviewTriggers, ...verdict.conditions, ...verdict.benefits]) {
          expect(entry.since <= asOf && (entry.until === undefined || asOf < entry.until)).toBe(true);
        }
      }),
      runs,
    );
  });

  it('cites a clause for every lock and entry, from a version in force on its source fact', () => {
    fc.assert(
      fc.property(cadreHistory, asOfDate, ({ history, jurisdiction }, asOf) => {
        const verdict = evaluate(ruleBook, history, { asOf, knownAt: '2030-01-01T00:00:00Z' });
        const byId = new Map<string, Fact>(history.map((f) => [f.metadata.eventId, f]));
        for (const item of [...verdict.locks, ...verdict.priorities, ...verdict.reviewTriggers, ...verdict.benefits]) {
          expect(item.citation.text.length).toBeGreaterThan(0);
          const source = byId.get(item.sourceEventId);
          expect(source).toBeDefined();
          const versions = ruleBook.versionsInForce(jurisdiction, source!.metadata.effectiveAt).map((v) => v.version);
          expect(versions).toContain(item.ruleSet);
        }
      }),
      runs,
    );
  });
});

/** A stable pseudo-random order for a seed. */
function hash(text: string, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 2654435761);
  return h >>> 0;
}

describe('explain', () => {
  it('lists every effect, of which the verdict keeps exactly those that hold on asOf', () => {
    fc.assert(
      fc.property(cadreHistory, asOfDate, ({ history }, asOf) => {
        const { verdict, effects } = explain(ruleBook, history, { asOf, knownAt: '2030-01-01T00:00:00Z' });
        expect(verdict.locks).toEqual(effects.locks.filter((l) => l.until === null || asOf < l.until));
        for (const list of ['priorities', 'reviewTriggers', 'conditions', 'benefits'] as const) {
          expect(verdict[list]).toEqual(effects[list].filter((e) => e.since <= asOf && (e.until === undefined || asOf < e.until)));
        }
      }),
      runs,
    );
  });
});
