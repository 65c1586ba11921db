import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadRuleBook, type RuleBook } from '@cadre-ledger/policy';

const JURISDICTIONS_FILE = 'jurisdictions.yaml';
const DOCUMENTS_FILE = 'documents.yaml';

/** The rule sets shipped with the ledger: `libs/policy/rulesets`, found from here upwards (works from src and dist). */
export function shippedRuleSetsDir(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'libs', 'policy', 'rulesets');
    if (existsSync(join(candidate, JURISDICTIONS_FILE))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find libs/policy/rulesets above ' + __dirname);
    dir = parent;
  }
}

/**
 * Reads every `*.yaml` rule-set version in a directory plus its `jurisdictions.yaml` (and
 * `documents.yaml`, the registry of cited documents, when present) and loads them;
 * `LEDGER_RULESETS_DIR` lets an operator replace or extend the shipped sets.
 */
export function readRuleBook(dir: string = shippedRuleSetsDir()): RuleBook {
  const root = resolve(dir);
  const files = readdirSync(root)
    .filter((f) => f.endsWith('.yaml') && f !== JURISDICTIONS_FILE && f !== DOCUMENTS_FILE)
    .sort();
  const read = (name: string) => ({ name, text: readFileSync(join(root, name), 'utf8') });
  // documents.yaml is optional in an operator's own directory: without it citations are not checked.
  return loadRuleBook(files.map(read), read(JURISDICTIONS_FILE), existsSync(join(root, DOCUMENTS_FILE)) ? read(DOCUMENTS_FILE) : undefined);
}
