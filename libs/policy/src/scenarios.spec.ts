import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import type { UnitGrade } from '@cadre-ledger/domain';
import { evaluate } from './evaluate/evaluate';
import { DEFAULT_KNOWN_AT, scenarioHistory, summarise, type Expectation, type ScenarioFile } from './testing/scenario';

const ruleBook = readRuleBook();
const dir = join(__dirname, '..', 'scenarios');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const loaded = files.map((file) => ({ file, content: parse(readFileSync(join(dir, file), 'utf8')) as ScenarioFile }));

/** Rule ids each scenario actually produced, to prove that every shipped rule is exercised. */
const exercised = new Map<string, Set<string>>();

const LISTS = ['locks', 'priorities', 'reviewTriggers', 'conditions', 'benefits'] as const;

describe.each(loaded)('$file', ({ file, content }) => {
  describe.each(content.scenarios)('$title', (scenario) => {
    const history = scenarioHistory(scenario);
    const seen = new Set<string>();
    exercised.set(`${file}: ${scenario.title}`, seen);

    it.each(scenario.expect.map((e: Expectation) => ({ ...e, label: `asOf ${e.asOf ?? '-'} knownAt ${e.knownAt ?? 'default'}` })))(
      '$label',
      (expectation) => {
        if (expectation.quota) {
          const { unitGrade, ...expected } = expectation.quota;
          const quota = ruleBook.excellenceQuota(scenario.cadre.jurisdiction, expectation.asOf ?? '2026-11-22', unitGrade as UnitGrade | undefined);
          expect(quota === null ? { rule: null } : { rule: quota.ruleId, rate: quota.rate, cap: quota.cap }).toEqual(expected);
          if (quota) seen.add(quota.ruleId);
          return;
        }
        if (expectation.situations) {
          const codes = ruleBook.toleranceSituations(scenario.cadre.jurisdiction, expectation.asOf ?? '2026-11-22');
          expect(codes).toEqual(expectation.situations);
          for (const version of ruleBook.versionsInForce(scenario.cadre.jurisdiction, expectation.asOf ?? '2026-11-22')) {
            for (const rule of version.rules) {
              if (rule.effect.kind === 'tolerance-situation' && codes.includes(rule.effect.code)) seen.add(rule.id);
            }
          }
          if (expectation.asOf === undefined || expectation.promotable === undefined) return;
        }
        const verdict = evaluate(ruleBook, history, {
          asOf: expectation.asOf ?? '2026-11-22',
          knownAt: expectation.knownAt ?? DEFAULT_KNOWN_AT,
        });
        const actual = summarise(verdict);
        for (const list of LISTS) for (const e of actual[list]) seen.add(e.rule);
        for (const n of actual.neutralised) if (n.rule) seen.add(n.rule);
        for (const e of actual.exclusions) seen.add(e.rule);

        if (expectation.promotable !== undefined) expect(actual.promotable).toBe(expectation.promotable);
        expect(actual.promotable).toBe(actual.locks.length === 0);
        for (const list of LISTS) {
          const expected = (expectation[list] ?? []).map((e) => ({ ...('source' in e || list === 'locks' ? {} : { source: expect.any(String) }), document: expect.any(String), ...e }));
          expect({ [list]: actual[list] }).toEqual({ [list]: expected });
        }
        const exclusions = (expectation.exclusions ?? []).map((e) => ('source' in e ? e : { ...e, source: expect.any(String) }));
        expect({ exclusions: actual.exclusions }).toEqual({ exclusions });
        if (expectation.ruleSets) expect(actual.ruleSets).toEqual(expectation.ruleSets);
        expect(actual.neutralised).toEqual(expectation.neutralised ?? []);
        const notes = (expectation.notes ?? []).map((n) => ({ kind: n.kind, text: n.about ? expect.stringContaining(n.about) : expect.any(String) }));
        expect({ notes: actual.notes }).toEqual({ notes });
      },
    );
  });
});

describe('scenario coverage', () => {
  it('every scenario exercises the rules it names', () => {
    const missing = loaded.flatMap(({ file, content }) =>
      content.scenarios.flatMap((s) => {
        const seen = exercised.get(`${file}: ${s.title}`) ?? new Set();
        return s.rules.filter((id) => !seen.has(id)).map((id) => `${file}: ${s.title}: ${id} never appeared`);
      }),
    );
    expect(missing).toEqual([]);
  });

  it('every shipped rule id has a scenario that exercises it', () => {
    const all = new Set(ruleBook.allVersions().flatMap((v) => v.rules.map((r) => r.id)));
    const covered = new Set([...exercised.values()].flatMap((s) => [...s]));
    expect([...all].filter((id) => !covered.has(id)).sort()).toEqual([]);
  });
});
