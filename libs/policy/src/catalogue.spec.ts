import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { catalogueMarkdown, catalogueRows } from './catalogue';

describe('the rule catalogue', () => {
  const ruleBook = readRuleBook();

  it('is what docs/RULES.md holds (regenerate with `npx ledger rules --markdown > docs/RULES.md`)', () => {
    const committed = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'RULES.md'), 'utf8');
    expect(committed).toBe(catalogueMarkdown(ruleBook));
  });

  it('lists every rule of every version, once per dated period, with its clause and quality', () => {
    const rows = catalogueRows(ruleBook);
    const rules = ruleBook.allVersions().flatMap((v) => v.rules);
    expect(rows).toHaveLength(rules.length);
    expect(rows.find((r) => r.id === 'CN-SN/NSX-16a')).toMatchObject({
      version: 'CN-SN-2018',
      effect: 'lock the adjustment kind, 12 months',
      from: '2018-10-26',
      to: null,
      article: '第十六条',
      text: '因不适宜担任现职调离岗位、改任非领导职务、免职的,一年内不得提拔',
      quality: 'verbatim',
      scope: 'provincial-managed cadres',
    });
    expect(rows.filter((r) => r.id === 'CN/JLCF-serious-warning').map((r) => r.effect)).toEqual([
      'lock party-serious-warning, 12 months',
      'lock party-serious-warning, 18 months',
      'lock party-serious-warning, 18 months',
      'lock party-serious-warning, 18 months',
    ]);
  });
});
