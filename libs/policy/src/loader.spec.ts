import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { loadRuleBook, RuleBookError, type RuleSource } from './loader';

const chains = (yaml = 'jurisdictions:\n  CN: [CN]\n  CN-SN: [CN-SN, CN]\n'): RuleSource => ({ name: 'jurisdictions.yaml', text: yaml });

const lockRule = (id: string, lock = 'caution', months = 6) => `
  - id: ${id}
    when: { fact: CautionIssued }
    effect: { kind: lock, lock: ${lock}, duration: { months: ${months} } }
    citation: { document: 文件, article: 第一条, text: 条文 }
    sourceQuality: verbatim`;

const version = (set: string, name: string, from: string, to: string | null, rules: string[]): RuleSource => ({
  name: `${name}.yaml`,
  text: `ruleSet: ${set}\nversion: ${name}\ntitle: 测试\neffectiveFrom: ${from}\neffectiveTo: ${to ?? 'null'}\nrules:${rules.join('') || ' []'}\n`,
});

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(RuleBookError);
    return (error as RuleBookError).problems;
  }
  throw new Error('expected the rule book to be refused');
}

describe('loadRuleBook', () => {
  it('loads the shipped rule sets: every jurisdiction of RULEBOOK.md with its chain', () => {
    const book = readRuleBook();
    expect(book.jurisdictions.sort()).toEqual(['CN', 'CN-HN-ZJJ', 'CN-JS-HM', 'CN-SN', 'CN-SN-AK', 'CN-XX']);
    expect(book.chain('CN-SN-AK')).toEqual(['CN-SN', 'CN']);
    expect(book.chain('CN-XX')).toEqual(['GZLS', 'CN']);
    expect(book.versionsInForce('CN-SN', '2018-10-25').map((v) => v.version)).toEqual(['CN']);
    expect(book.versionsInForce('CN-SN', '2018-10-26').map((v) => v.version)).toEqual(['CN-SN-2018', 'CN']);
    expect(book.versionsInForce('CN', '2015-12-31').map((v) => v.version)).toEqual(['CN']);
    expect(book.versionsInForce('CN', '2004-02-16')).toEqual([]);
    // One rule, dated periods: the serious warning's one year before 2016-01-01, eighteen months after.
    const seriousWarning = book.allVersions().flatMap((v) => v.rules).filter((r) => r.id === 'CN/JLCF-serious-warning');
    expect(seriousWarning.map((r) => [r.effectiveFrom, r.effectiveTo, r.effect.kind === 'lock' && 'months' in r.effect.duration ? r.effect.duration.months : null])).toEqual([
      ['2004-02-17', '2016-01-01', 12],
      ['2016-01-01', '2018-10-01', 18],
      ['2018-10-01', '2024-01-01', 18], // the 2023 条例 is in force from 2024-01-01 (RULEBOOK.md 2026-12b)
      ['2024-01-01', null, 18],
    ]);
  });

  it('gives every shipped rule a citation and an honest source quality', () => {
    for (const v of readRuleBook().allVersions()) {
      for (const rule of v.rules) {
        expect(rule.citation.document.length * rule.citation.article.length * rule.citation.text.length).toBeGreaterThan(0);
        expect(['verbatim', 'reprint', 'secondary', 'unverified']).toContain(rule.sourceQuality);
        // A paraphrase or a stand-in is never passed off as the clause itself.
        if (rule.citation.text.startsWith('[')) expect(['secondary', 'unverified']).toContain(rule.sourceQuality);
      }
    }
  });

  it('accepts a well-formed book', () => {
    const book = loadRuleBook([version('CN', 'CN-2020', '2020-01-01', null, [lockRule('CN/A')])], chains('jurisdictions:\n  CN: [CN]\n'));
    expect(book.versionsInForce('CN', '2021-01-01')[0].rules.map((r) => r.keys)).toEqual([['lock:caution']]);
  });

  it('refuses a schema violation, naming the file and the path', () => {
    const bad: RuleSource = { name: 'bad.yaml', text: 'ruleSet: CN\nversion: CN-2020\ntitle: t\neffectiveFrom: 2020-02-30\neffectiveTo: null\nrules: []\n' };
    expect(problemsOf(() => loadRuleBook([bad], chains('jurisdictions:\n  CN: [CN]\n')))).toEqual([
      'bad.yaml: effectiveFrom: expected a YYYY-MM-DD date',
      'jurisdictions.yaml: CN names rule set CN, which has no version',
    ]);
  });

  it('refuses text that is not YAML', () => {
    const problems = problemsOf(() => loadRuleBook([{ name: 'x.yaml', text: 'rules: [' }], chains('jurisdictions: {}')));
    expect(problems[0]).toMatch(/^x\.yaml: not valid YAML/);
  });

  it('refuses an unknown effect kind and an unknown field', () => {
    const text = version('CN', 'CN-2020', '2020-01-01', null, [lockRule('CN/A')]).text.replace('kind: lock', 'kind: ban').replace('sourceQuality: verbatim', 'sourceQuality: verbatim\n    colour: red');
    const problems = problemsOf(() => loadRuleBook([{ name: 'CN-2020.yaml', text }], chains('jurisdictions: {}')));
    expect(problems.some((p) => p.startsWith('CN-2020.yaml: rules.0.effect.kind'))).toBe(true);
    expect(problems.some((p) => p.includes("Unrecognized key(s) in object: 'colour'"))).toBe(true);
  });

  it('refuses overlapping versions of one set', () => {
    const problems = problemsOf(() =>
      loadRuleBook(
        [version('CN', 'CN-2010', '2010-01-01', '2016-01-02', []), version('CN', 'CN-2016', '2016-01-01', null, [])],
        chains('jurisdictions:\n  CN: [CN]\n'),
      ),
    );
    expect(problems).toEqual(['versions CN-2010 and CN-2016 of CN overlap']);
  });

  it('refuses an open-ended version followed by another', () => {
    const problems = problemsOf(() =>
      loadRuleBook([version('CN', 'CN-2010', '2010-01-01', null, []), version('CN', 'CN-2016', '2016-01-01', null, [])], chains('jurisdictions:\n  CN: [CN]\n')),
    );
    expect(problems).toEqual(['versions CN-2010 and CN-2016 of CN overlap']);
  });

  it('refuses two rules of one version claiming the same effect key', () => {
    const problems = problemsOf(() =>
      loadRuleBook([version('CN', 'CN-2020', '2020-01-01', null, [lockRule('CN/A'), lockRule('CN/B', 'caution', 12)])], chains('jurisdictions:\n  CN: [CN]\n')),
    );
    expect(problems).toEqual(['CN-2020.yaml: rules CN/A and CN/B both claim the effect lock:caution on the same dates']);
  });

  it('lets two rules claim one effect key when they read different kinds of fact (no fact is claimed twice)', () => {
    const onInvestigation = lockRule('CN/B').replace('fact: CautionIssued', 'fact: InvestigationOpened');
    const book = loadRuleBook([version('CN', 'CN-2020', '2020-01-01', null, [lockRule('CN/A'), onInvestigation])], chains('jurisdictions:\n  CN: [CN]\n'));
    expect(book.allVersions()[0].rules.map((r) => r.id).sort()).toEqual(['CN/A', 'CN/B']);
    const both = lockRule('CN/C').replace('when: { fact: CautionIssued }', 'when: { anyOf: [{ fact: InvestigationOpened }, { fact: CautionIssued }] }');
    expect(problemsOf(() => loadRuleBook([version('CN', 'CN-2020', '2020-01-01', null, [onInvestigation, both])], chains('jurisdictions:\n  CN: [CN]\n')))).toEqual([
      'CN-2020.yaml: rules CN/B and CN/C both claim the effect lock:caution on the same dates',
    ]);
  });

  it('refuses a rule id used twice in one version, or outside its set', () => {
    const problems = problemsOf(() =>
      loadRuleBook(
        [version('CN', 'CN-2020', '2020-01-01', null, [lockRule('CN/A'), lockRule('CN/A', 'other'), lockRule('XX/C', 'third')])],
        chains('jurisdictions:\n  CN: [CN]\n'),
      ),
    );
    expect(problems).toEqual(['CN-2020.yaml: rule id CN/A is used twice', 'CN-2020.yaml: rule XX/C: id must start with CN/']);
  });

  it('refuses a chain naming an unknown set, a version outside its set, and a backwards range', () => {
    const problems = problemsOf(() =>
      loadRuleBook([version('CN', 'XX-2020', '2020-01-01', '2019-01-01', [])], chains('jurisdictions:\n  CN-SN: [CN-SN, CN]\n')),
    );
    expect(problems).toEqual([
      'XX-2020.yaml: version XX-2020 does not belong to set CN',
      'XX-2020.yaml: effectiveTo 2019-01-01 is not after effectiveFrom 2020-01-01',
      'jurisdictions.yaml: CN-SN names rule set CN-SN, which has no version',
    ]);
  });

  it('refuses a sanction kind that is not of its system, and a condition naming a rule that locks nothing', () => {
    const sanction = `
  - id: CN/S
    when: { fact: SanctionImposed, system: party, kinds: [demerit] }
    effect: { kind: lock, lock: party-demerit, duration: { months: 6 } }
    citation: { document: 文件, article: 第一条, text: 条文 }
    sourceQuality: verbatim`;
    const condition = `
  - id: CN/C
    effect: { kind: condition, condition: c, after: { lockRules: [CN/NOPE] }, duration: { months: 12 } }
    citation: { document: 文件, article: 第二条, text: 条文 }
    sourceQuality: reprint`;
    const problems = problemsOf(() =>
      loadRuleBook([version('CN', 'CN-2020', '2020-01-01', null, [sanction, condition])], chains('jurisdictions:\n  CN: [CN]\n')),
    );
    expect(problems).toEqual([
      'CN-2020.yaml: rule CN/S: demerit is not a party sanction kind',
      'CN-2020: rule CN/C refers to CN/NOPE, which is not a lock rule',
    ]);
  });

  it('refuses a condition both after locks and beside priorities, or neither, a duration beside a priority, and a priority rule that grants nothing', () => {
    const condition = (id: string, effect: string) => `
  - id: ${id}
    effect: { kind: condition, condition: ${id.slice(3).toLowerCase()}, ${effect} }
    citation: { document: 文件, article: 第二条, text: 条文 }
    sourceQuality: reprint`;
    const problems = problemsOf(() =>
      loadRuleBook(
        [
          version('CN', 'CN-2020', '2020-01-01', null, [
            lockRule('CN/L'),
            condition('CN/BOTH', 'after: { lockRules: [CN/L] }, beside: { priorityRules: [CN/L] }'),
            condition('CN/NONE', 'duration: { months: 12 }'),
            condition('CN/TIMED', 'beside: { priorityRules: [CN/L] }, duration: { months: 12 }'),
            condition('CN/UNTIMED', 'after: { lockRules: [CN/L] }'),
          ]),
        ],
        chains('jurisdictions:\n  CN: [CN]\n'),
      ),
    );
    expect(problems).toEqual([
      'CN-2020.yaml: rule CN/BOTH: a condition follows locks (after) or stands beside priorities (beside), one of them',
      'CN-2020.yaml: rule CN/NONE: a condition follows locks (after) or stands beside priorities (beside), one of them',
      'CN-2020.yaml: rule CN/TIMED: a condition beside priorities holds as long as they do: no duration',
      'CN-2020.yaml: rule CN/UNTIMED: a condition after locks needs a duration',
      'CN-2020: rule CN/BOTH refers to CN/L, which is not a priority rule',
      'CN-2020: rule CN/TIMED refers to CN/L, which is not a priority rule',
    ]);
  });

  it('lets two rules claim one key on different dates, and on the same dates only when one overrides the other', () => {
    const dated = (id: string, from: string, to: string | null, extra = '') => `
  - id: ${id}
    when: { fact: CautionIssued }
    effect: { kind: lock, lock: caution, duration: { months: 6 } }
    effectiveFrom: ${from}${to ? `\n    effectiveTo: ${to}` : ''}${extra}
    citation: { document: 文件, article: 第一条, text: 条文 }
    sourceQuality: verbatim`;
    const ok = loadRuleBook([version('CN', 'CN', '2010-01-01', null, [dated('CN/A', '2010-01-01', '2015-01-01'), dated('CN/B', '2015-01-01', null)])], chains('jurisdictions:\n  CN: [CN]\n'));
    expect(ok.allVersions()[0].rules.map((r) => r.id)).toEqual(['CN/A', 'CN/B']);
    const overriding = loadRuleBook(
      [version('CN', 'CN', '2010-01-01', null, [dated('CN/A', '2010-01-01', null), dated('CN/B', '2012-01-01', null, '\n    overrides: [CN/A]')])],
      chains('jurisdictions:\n  CN: [CN]\n'),
    );
    expect(overriding.allVersions()[0].rules.map((r) => r.id)).toEqual(['CN/B', 'CN/A']); // the overriding rule claims first
    expect(problemsOf(() => loadRuleBook([version('CN', 'CN', '2010-01-01', null, [dated('CN/A', '2010-01-01', '2016-01-01'), dated('CN/B', '2015-01-01', null)])], chains('jurisdictions:\n  CN: [CN]\n')))).toEqual([
      'CN.yaml: rules CN/A and CN/B both claim the effect lock:caution on the same dates',
    ]);
    expect(problemsOf(() => loadRuleBook([version('CN', 'CN', '2010-01-01', null, [dated('CN/A', '2010-01-01', null, '\n    overrides: [CN/NOPE]')])], chains('jurisdictions:\n  CN: [CN]\n')))).toEqual([
      'CN: rule CN/A overrides CN/NOPE, which no rule set defines',
    ]);
  });

  it('refuses periods that overlap or leave their version, and a rule dated both ways', () => {
    const periods = `
  - id: CN/P
    when: { fact: CautionIssued }
    effect: { kind: lock, lock: caution, duration: { months: 6 } }
    periods:
      - { from: 2010-01-01, to: 2016-01-01, citation: { document: 文件, article: 第一条, text: 条文 }, sourceQuality: reprint }
      - { from: 2015-01-01, citation: { document: 文件, article: 第一条, text: 条文 }, sourceQuality: reprint }
      - { from: 2009-01-01, to: 2009-06-01, citation: { document: 文件, article: 第一条, text: 条文 }, sourceQuality: reprint }`;
    expect(problemsOf(() => loadRuleBook([version('CN', 'CN', '2010-01-01', null, [periods])], chains('jurisdictions:\n  CN: [CN]\n')))).toEqual([
      'CN.yaml: rule CN/P: periods from 2010-01-01 and 2015-01-01 overlap',
      'CN.yaml: rule CN/P: dated 2009-01-01–2009-06-01, outside its version CN (2010-01-01–open)',
    ]);
  });

  it('checks every citation against the document registry: listed, and verbatim only where the text is held', () => {
    const documents: RuleSource = { name: 'documents.yaml', text: 'documents:\n  - { title: 文件, inForce: null }\n' };
    expect(problemsOf(() => loadRuleBook([version('CN', 'CN', '2010-01-01', null, [lockRule('CN/A')])], chains('jurisdictions:\n  CN: [CN]\n'), documents))).toEqual([
      'CN: rule CN/A quotes 文件 as verbatim, but its text is not held (reprint or secondary)',
    ]);
    const unknown: RuleSource = { name: 'documents.yaml', text: 'documents:\n  - { title: 别的文件, file: x.txt, inForce: null }\n' };
    expect(problemsOf(() => loadRuleBook([version('CN', 'CN', '2010-01-01', null, [lockRule('CN/A')])], chains('jurisdictions:\n  CN: [CN]\n'), unknown))).toEqual([
      'CN: rule CN/A cites 文件, which documents.yaml does not list',
    ]);
  });

  it('reads a jurisdiction with local texts not held', () => {
    const book = loadRuleBook(
      [version('CN', 'CN', '2010-01-01', null, [lockRule('CN/A')])],
      chains('jurisdictions:\n  CN-AK:\n    chain: [CN]\n    localRulesNotHeld:\n      - { managedBy: [municipal], document: 配套办法 }\n'),
    );
    expect(book.chain('CN-AK')).toEqual(['CN']);
    expect(book.localRulesNotHeld('CN-AK', 'municipal')).toEqual(['配套办法']);
    expect(book.localRulesNotHeld('CN-AK', 'provincial')).toEqual([]);
  });
});
