import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lockKindLabels } from '@cadre-ledger/domain';
import { shippedRuleSetsDir } from '@cadre-ledger/platform/rule-book';

/**
 * Every lock a shipped rule set can produce has a Chinese name for the dossier and the dashboard:
 * a new lock kind in a rule set without one fails here rather than printing a code to an HR officer.
 */
describe('the Chinese names of lock kinds', () => {
  const produced = new Set<string>();
  for (const file of readdirSync(shippedRuleSetsDir()).filter((f) => f.endsWith('.yaml'))) {
    for (const match of readFileSync(join(shippedRuleSetsDir(), file), 'utf8').matchAll(/kind: lock, lock: ([a-z-]+)/g)) produced.add(match[1]);
  }

  it('names every lock kind the rule sets produce', () => {
    expect(produced.size).toBeGreaterThan(5);
    const labels = lockKindLabels();
    expect([...produced].filter((kind) => labels[kind] === undefined)).toEqual([]);
    expect(Object.entries(labels).filter(([kind, label]) => label === kind || !/\p{Script=Han}/u.test(label))).toEqual([]);
  });
});
