import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lockKindLabels, VERDICT_NOTE_KINDS, ZH } from '@cadre-ledger/domain';
import { readRuleBook, shippedRuleSetsDir } from '@cadre-ledger/platform/rule-book';

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

/** Likewise every condition kind a shipped rule set can attach to a verdict, and every kind of note. */
describe('the Chinese names of condition and note kinds', () => {
  it('names every condition kind the rule sets produce, and every note kind', () => {
    const conditions = new Set(
      readRuleBook()
        .allVersions()
        .flatMap((v) => v.rules.flatMap((r) => (r.effect.kind === 'condition' ? [r.effect.condition] : []))),
    );
    expect(conditions).toEqual(new Set(['impact-may-still-apply', 'consultation-required', 'qualities-to-confirm']));
    for (const labels of [[...conditions].map((kind) => [kind, ZH.condition[kind]]), VERDICT_NOTE_KINDS.map((kind) => [kind, ZH.verdictNote[kind]])]) {
      expect(labels.filter(([, label]) => label === undefined || !/\p{Script=Han}/u.test(label))).toEqual([]);
    }
  });
});
