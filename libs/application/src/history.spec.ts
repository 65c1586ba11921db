import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { NOT_READ_BY_RULES } from './history';

describe('what a verdict reads of a unit', () => {
  it('leaves out only unit bookkeeping that no rule of any shipped rule set reads', () => {
    const ruleBook = readRuleBook();
    const readers = ruleBook.allVersions().flatMap((version) => [...NOT_READ_BY_RULES].flatMap((type) => (version.rulesByFact.get(type) ?? []).map((rule) => `${rule.id} reads ${type}`)));
    expect(readers).toEqual([]);
    expect([...NOT_READ_BY_RULES].sort()).toEqual(['ExcellenceQuotaClaimed', 'ExcellenceQuotaReleased', 'UnitQuotaSet']);
  });
});
