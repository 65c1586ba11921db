import { parse as parseYaml } from 'yaml';
import type { ZodError } from 'zod';
import { SANCTION_KINDS_BY_SYSTEM, compareText } from '@cadre-ledger/domain';
import { jurisdictionsSchema, ruleSetVersionSchema, type Matcher, type RuleSpec, type RuleSetVersionSpec } from './schema';
import { RuleBook, indexRules, type Rule, type RuleSetVersion } from './rule-book';

/** A rule-set file's name and text; reading the files is the caller's business (this library is pure). */
export interface RuleSource {
  name: string;
  text: string;
}

/** Loading failed; `problems` lists every problem found, each prefixed with its file. */
export class RuleBookError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid rule book:\n  - ${problems.join('\n  - ')}`);
    this.name = 'RuleBookError';
  }
}

/**
 * Parses and validates rule-set versions and the jurisdiction chains, and fails loudly: a schema
 * violation, a duplicate rule id, two overlapping versions of one set, two rules of one version
 * claiming the same effect key, or a chain naming an unknown set are all load-time errors
 * (Catala's lesson: conflicts are errors, not "first match wins").
 */
export function loadRuleBook(versionSources: readonly RuleSource[], jurisdictions: RuleSource): RuleBook {
  const problems: string[] = [];
  const versions: RuleSetVersion[] = [];
  for (const source of versionSources) {
    const spec = parseSource(source, problems);
    if (spec) versions.push(toVersion(spec, source.name, problems));
  }
  checkVersionIds(versions, problems);
  checkOverlaps(versions, problems);
  checkRuleIds(versions, problems);
  checkLockRuleReferences(versions, problems);
  const chains = parseChains(jurisdictions, new Set(versions.map((v) => v.ruleSet)), problems);
  if (problems.length > 0) throw new RuleBookError(problems);
  return new RuleBook(versions, chains);
}

function parseSource(source: RuleSource, problems: string[]): RuleSetVersionSpec | null {
  let raw: unknown;
  try {
    raw = parseYaml(source.text);
  } catch (error) {
    problems.push(`${source.name}: not valid YAML: ${(error as Error).message}`);
    return null;
  }
  const parsed = ruleSetVersionSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...zodProblems(source.name, parsed.error));
    return null;
  }
  return parsed.data;
}

function zodProblems(file: string, error: ZodError): string[] {
  return error.issues.map((issue) => `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

function toVersion(spec: RuleSetVersionSpec, file: string, problems: string[]): RuleSetVersion {
  if (!spec.version.startsWith(`${spec.ruleSet}-`)) problems.push(`${file}: version ${spec.version} does not belong to set ${spec.ruleSet}`);
  if (spec.effectiveTo !== null && spec.effectiveTo <= spec.effectiveFrom) {
    problems.push(`${file}: effectiveTo ${spec.effectiveTo} is not after effectiveFrom ${spec.effectiveFrom}`);
  }
  const rules = spec.rules.map((r) => toRule(r, spec, file, problems));
  const claimed = new Map<string, string>();
  for (const rule of rules) {
    for (const key of rule.keys) {
      const other = claimed.get(key);
      if (other) problems.push(`${file}: rules ${other} and ${rule.id} both claim the effect ${key}`);
      else claimed.set(key, rule.id);
    }
  }
  const { ruleSet, version, title, effectiveFrom, effectiveTo } = spec;
  return { ruleSet, version, title, effectiveFrom, effectiveTo, rules, ...indexRules(rules) };
}

function toRule(spec: RuleSpec, version: RuleSetVersionSpec, file: string, problems: string[]): Rule {
  const where = `${file}: rule ${spec.id}`;
  if (!spec.id.startsWith(`${version.ruleSet}/`)) problems.push(`${where}: id must start with ${version.ruleSet}/`);
  const matchers: Matcher[] = spec.when === undefined ? [] : 'anyOf' in spec.when ? spec.when.anyOf : [spec.when];
  const needsFacts = !['condition', 'tolerance-situation', 'tolerance-relief'].includes(spec.effect.kind);
  if (needsFacts && matchers.length === 0) problems.push(`${where}: a ${spec.effect.kind} rule needs 'when'`);
  if (!needsFacts && matchers.length > 0) problems.push(`${where}: a ${spec.effect.kind} rule takes no 'when'`);
  for (const m of matchers) {
    if (m.fact === 'SanctionImposed') {
      const unknown = m.kinds.filter((k) => !SANCTION_KINDS_BY_SYSTEM[m.system].includes(k));
      if (unknown.length > 0) problems.push(`${where}: ${unknown.join(', ')} is not a ${m.system} sanction kind`);
    }
  }
  return {
    id: spec.id,
    ruleSet: version.ruleSet,
    version: version.version,
    matchers,
    effect: spec.effect,
    citation: spec.citation,
    sourceQuality: spec.sourceQuality,
    keys: effectKeys(spec, matchers, where, problems),
  };
}

/** The keys a rule can claim; a lock whose kind comes from the fact claims one key per matched kind. */
function effectKeys(spec: RuleSpec, matchers: Matcher[], where: string, problems: string[]): string[] {
  const effect = spec.effect;
  switch (effect.kind) {
    case 'lock': {
      if (typeof effect.lock === 'string') return [`lock:${effect.lock}`];
      const kinds = matchers.flatMap((m) => (m.fact === 'CadreAdjusted' ? m.kinds : []));
      if (kinds.length === 0 || matchers.some((m) => m.fact !== 'CadreAdjusted')) {
        problems.push(`${where}: lock {fromData: kind} needs CadreAdjusted matchers that list their kinds`);
      }
      return [...new Set(kinds)].map((k) => `lock:${k}`);
    }
    case 'priority':
      return [`priority:${effect.priority}`];
    case 'benefit':
      return [`benefit:${effect.benefit}`];
    case 'trigger':
      return [`trigger:${effect.trigger}`];
    case 'condition':
      return [`condition:${effect.condition}`];
    case 'tolerance-situation':
      return [`tolerance-situation:${effect.code}`];
    case 'tolerance-relief':
      return effect.outcomes.map((o) => `tolerance:${o}`);
  }
}

function checkVersionIds(versions: RuleSetVersion[], problems: string[]): void {
  const seen = new Set<string>();
  for (const v of versions) {
    if (seen.has(v.version)) problems.push(`version ${v.version} is defined twice`);
    seen.add(v.version);
  }
}

/** Versions of one set never overlap: exactly one (or none) is in force on any date. */
function checkOverlaps(versions: RuleSetVersion[], problems: string[]): void {
  const bySet = new Map<string, RuleSetVersion[]>();
  for (const v of versions) bySet.set(v.ruleSet, [...(bySet.get(v.ruleSet) ?? []), v]);
  for (const list of bySet.values()) {
    const sorted = [...list].sort((a, b) => compareText(a.effectiveFrom, b.effectiveFrom));
    for (let i = 1; i < sorted.length; i++) {
      const before = sorted[i - 1];
      if (before.effectiveTo === null || before.effectiveTo > sorted[i].effectiveFrom) {
        problems.push(`versions ${before.version} and ${sorted[i].version} of ${before.ruleSet} overlap`);
      }
    }
  }
}

/** A rule id is unique within a version; across versions it names the same rule (its text may change). */
function checkRuleIds(versions: RuleSetVersion[], problems: string[]): void {
  for (const v of versions) {
    const seen = new Set<string>();
    for (const rule of v.rules) {
      if (seen.has(rule.id)) problems.push(`${v.version}: rule id ${rule.id} is used twice`);
      seen.add(rule.id);
    }
  }
}

function checkLockRuleReferences(versions: RuleSetVersion[], problems: string[]): void {
  const lockRules = new Set(versions.flatMap((v) => v.rules.filter((r) => r.effect.kind === 'lock').map((r) => r.id)));
  for (const v of versions) {
    for (const rule of v.rules) {
      if (rule.effect.kind !== 'condition' || !('lockRules' in rule.effect.after)) continue;
      for (const id of rule.effect.after.lockRules) {
        if (!lockRules.has(id)) problems.push(`${v.version}: rule ${rule.id} refers to ${id}, which is not a lock rule`);
      }
    }
  }
}

function parseChains(source: RuleSource, knownSets: Set<string>, problems: string[]): Map<string, string[]> {
  let raw: unknown;
  try {
    raw = parseYaml(source.text);
  } catch (error) {
    problems.push(`${source.name}: not valid YAML: ${(error as Error).message}`);
    return new Map();
  }
  const parsed = jurisdictionsSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...zodProblems(source.name, parsed.error));
    return new Map();
  }
  const chains = new Map<string, string[]>();
  for (const [jurisdiction, chain] of Object.entries(parsed.data.jurisdictions)) {
    for (const set of chain) {
      if (!knownSets.has(set)) problems.push(`${source.name}: ${jurisdiction} names rule set ${set}, which has no version`);
    }
    if (new Set(chain).size !== chain.length) problems.push(`${source.name}: ${jurisdiction} names a rule set twice`);
    chains.set(jurisdiction, chain);
  }
  return chains;
}
