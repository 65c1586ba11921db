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
    expect(book.versionsInForce('CN-SN', '2018-10-25').map((v) => v.version)).toEqual(['CN-2016']);
    expect(book.versionsInForce('CN-SN', '2018-10-26').map((v) => v.version)).toEqual(['CN-SN-2018', 'CN-2016']);
    expect(book.versionsInForce('CN', '2015-12-31').map((v) => v.version)).toEqual(['CN-2004']);
    expect(book.versionsInForce('CN', '2004-02-16')).toEqual([]);
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
    expect(problems).toEqual(['CN-2020.yaml: rules CN/A and CN/B both claim the effect lock:caution']);
  });

  it('refuses a rule id used twice in one version, or outside its set', () => {
    const problems = problemsOf(() =>
      loadRuleBook(
        [version('CN', 'CN-2020', '2020-01-01', null, [lockRule('CN/A'), lockRule('CN/A', 'other'), lockRule('XX/C', 'third')])],
        chains('jurisdictions:\n  CN: [CN]\n'),
      ),
    );
    expect(problems).toEqual(['CN-2020.yaml: rule XX/C: id must start with CN/', 'CN-2020: rule id CN/A is used twice']);
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
});
