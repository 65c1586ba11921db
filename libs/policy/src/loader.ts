import { parse as parseYaml } from 'yaml';
import type { ZodError } from 'zod';
import { FINDING_CATEGORIES, SANCTION_KINDS_BY_SYSTEM, compareText, type FindingCategory } from '@cadre-ledger/domain';
import { documentsSchema, jurisdictionsSchema, ruleSetVersionSchema, type DocumentSpec, type Matcher, type RuleSpec, type RuleSetVersionSpec } from './schema';
import { RuleBook, indexRules, type Jurisdiction, type Rule, type RuleSetVersion } from './rule-book';

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
export function loadRuleBook(versionSources: readonly RuleSource[], jurisdictions: RuleSource, documents?: RuleSource): RuleBook {
  const problems: string[] = [];
  const versions: RuleSetVersion[] = [];
  for (const source of versionSources) {
    const spec = parseSource(source, problems);
    if (spec) versions.push(toVersion(spec, source.name, problems));
  }
  checkVersionIds(versions, problems);
  checkOverlaps(versions, problems);
  checkConditionReferences(versions, problems);
  checkOverrides(versions, problems);
  const registry = documents ? parseDocuments(documents, problems) : [];
  if (documents) checkCitedDocuments(versions, registry, problems);
  const chains = parseChains(jurisdictions, new Set(versions.map((v) => v.ruleSet)), problems);
  if (problems.length > 0) throw new RuleBookError(problems);
  return new RuleBook(versions, chains, registry);
}

function parseYamlSource(source: RuleSource, problems: string[]): unknown {
  try {
    return parseYaml(source.text);
  } catch (error) {
    problems.push(`${source.name}: not valid YAML: ${(error as Error).message}`);
    return undefined;
  }
}

function parseSource(source: RuleSource, problems: string[]): RuleSetVersionSpec | null {
  const raw = parseYamlSource(source, problems);
  if (raw === undefined) return null;
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
  if (spec.version !== spec.ruleSet && !spec.version.startsWith(`${spec.ruleSet}-`)) problems.push(`${file}: version ${spec.version} does not belong to set ${spec.ruleSet}`);
  if (spec.effectiveTo !== null && spec.effectiveTo <= spec.effectiveFrom) {
    problems.push(`${file}: effectiveTo ${spec.effectiveTo} is not after effectiveFrom ${spec.effectiveFrom}`);
  }
  const ids = new Set<string>();
  for (const r of spec.rules) {
    if (ids.has(r.id)) problems.push(`${file}: rule id ${r.id} is used twice`);
    ids.add(r.id);
  }
  const rules = orderOverridingFirst(spec.rules.flatMap((r) => toRules(r, spec, file, problems)));
  checkClaims(rules, file, problems);
  const { ruleSet, version, title, effectiveFrom, effectiveTo } = spec;
  return { ruleSet, version, title, effectiveFrom, effectiveTo, periodEnd: spec.parameters?.periodEnd ?? 'same-day', rules, ...indexRules(rules) };
}

/**
 * Two rules of one version may claim one effect key on one date only where one overrides the
 * other, or where they read different kinds of fact (no one fact can then be claimed twice:
 * 张家界 措施5 and 措施11 both call for a 约谈提醒, one on a finding, one on an assessment).
 */
function checkClaims(rules: readonly Rule[], file: string, problems: string[]): void {
  const reads = (r: Rule) => new Set(r.matchers.map((m) => m.fact));
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const [a, b] = [rules[i], rules[j]];
      if (a.id === b.id || !overlap(a, b)) continue;
      const readByA = reads(a);
      if (a.matchers.length > 0 && b.matchers.length > 0 && !b.matchers.some((m) => readByA.has(m.fact))) continue;
      const shared = a.keys.find((k) => b.keys.includes(k));
      if (shared && !a.overrides.includes(b.id) && !b.overrides.includes(a.id)) {
        problems.push(`${file}: rules ${a.id} and ${b.id} both claim the effect ${shared} on the same dates`);
      }
    }
  }
}

const overlap = (a: Rule, b: Rule): boolean =>
  (a.effectiveTo === null || b.effectiveFrom < a.effectiveTo) && (b.effectiveTo === null || a.effectiveFrom < b.effectiveTo);

/** A rule that overrides another comes before it, so it claims the shared key first. */
function orderOverridingFirst(rules: Rule[]): Rule[] {
  return [...rules].sort((a, b) => (b.overrides.includes(a.id) ? 1 : a.overrides.includes(b.id) ? -1 : 0));
}

/** One Rule per dated span of the spec: its periods, or its (or the version's) dates. */
function toRules(spec: RuleSpec, version: RuleSetVersionSpec, file: string, problems: string[]): Rule[] {
  const where = `${file}: rule ${spec.id}`;
  if (!spec.id.startsWith(`${version.ruleSet}/`)) problems.push(`${where}: id must start with ${version.ruleSet}/`);
  const matchers: Matcher[] = spec.when === undefined ? [] : 'anyOf' in spec.when ? spec.when.anyOf : [spec.when];
  const needsFacts = !['condition', 'tolerance-situation', 'tolerance-relief', 'excellence-quota'].includes(spec.effect.kind);
  if (needsFacts && matchers.length === 0) problems.push(`${where}: a ${spec.effect.kind} rule needs 'when'`);
  if (!needsFacts && matchers.length > 0) problems.push(`${where}: a ${spec.effect.kind} rule takes no 'when'`);
  for (const m of matchers) {
    if (m.fact === 'SanctionImposed') {
      const unknown = m.kinds.filter((k) => !SANCTION_KINDS_BY_SYSTEM[m.system].includes(k));
      if (unknown.length > 0) problems.push(`${where}: ${unknown.join(', ')} is not a ${m.system} sanction kind`);
    }
    if (m.fact === 'UnitFindingRecorded') {
      const kinds = FINDING_CATEGORIES[m.category as FindingCategory].kinds as readonly string[];
      const unknown = m.kinds.filter((k) => !kinds.includes(k));
      if (unknown.length > 0) problems.push(`${where}: ${unknown.join(', ')} is not a kind of ${m.category} (${kinds.join(', ')})`);
      if (m.concerned.includes('portfolio') !== (m.portfolio !== undefined)) problems.push(`${where}: portfolio goes with concerned: portfolio, and only with it`);
    }
  }
  if (spec.effect.kind === 'excellence-quota' && spec.effect.cap !== undefined && spec.effect.cap < spec.effect.rate) problems.push(`${where}: cap must not be below rate`);
  if (spec.effect.kind === 'condition') {
    const { after, beside, duration } = spec.effect;
    if ((after === undefined) === (beside === undefined)) problems.push(`${where}: a condition follows locks (after) or stands beside priorities (beside), one of them`);
    else if (after !== undefined && duration === undefined) problems.push(`${where}: a condition after locks needs a duration`);
    else if (beside !== undefined && duration !== undefined) problems.push(`${where}: a condition beside priorities holds as long as they do: no duration`);
  }
  const versionTo = version.effectiveTo;
  const spans: { from: string; to: string | null; effect: RuleSpec['effect']; citation: RuleSpec['citation']; sourceQuality: RuleSpec['sourceQuality']; note?: string }[] = [];
  if (spec.periods) {
    if (spec.citation || spec.sourceQuality || spec.effectiveFrom || spec.effectiveTo) {
      problems.push(`${where}: a rule with periods takes its citation, sourceQuality and dates from them`);
    }
    const periods = [...spec.periods].sort((a, b) => compareText(a.from, b.from));
    periods.forEach((p, i) => {
      const to = p.to ?? versionTo;
      if (to !== null && to <= p.from) problems.push(`${where}: period from ${p.from} ends on or before it begins`);
      const next = periods[i + 1];
      if (next && (to === null || to > next.from)) problems.push(`${where}: periods from ${p.from} and ${next.from} overlap`);
      spans.push({ from: p.from, to, effect: p.effect ?? spec.effect, citation: p.citation, sourceQuality: p.sourceQuality, note: p.note ?? spec.note });
    });
  } else {
    if (!spec.citation || !spec.sourceQuality) problems.push(`${where}: needs a citation and a sourceQuality (or periods with them)`);
    spans.push({ from: spec.effectiveFrom ?? version.effectiveFrom, to: spec.effectiveTo ?? versionTo, effect: spec.effect, citation: spec.citation, sourceQuality: spec.sourceQuality, note: spec.note });
  }
  for (const span of spans) {
    if (span.from < version.effectiveFrom || (versionTo !== null && (span.to === null || span.to > versionTo))) {
      problems.push(`${where}: dated ${span.from}–${span.to ?? 'open'}, outside its version ${version.version} (${version.effectiveFrom}–${versionTo ?? 'open'})`);
    }
    if (span.effect.kind !== spec.effect.kind) problems.push(`${where}: a period may change the effect's terms, not its kind`);
  }
  return spans.map((span) => ({
    id: spec.id,
    ruleSet: version.ruleSet,
    version: version.version,
    matchers,
    effect: span.effect,
    citation: span.citation ?? { document: '', article: '', text: '' },
    sourceQuality: span.sourceQuality ?? 'unverified',
    effectiveFrom: span.from,
    effectiveTo: span.to,
    ...(spec.appliesTo ? { appliesTo: spec.appliesTo } : {}),
    overrides: spec.overrides ?? [],
    ...(spec.source ? { source: spec.source } : {}),
    assumptions: spec.assumptions ?? [],
    ...(span.note ? { note: span.note } : {}),
    keys: effectKeys({ ...spec, effect: span.effect }, matchers, where, problems),
  }));
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
    case 'exclusion':
      return [`exclusion:${effect.exclusion}`];
    case 'condition':
      return [`condition:${effect.condition}`];
    case 'tolerance-situation':
      return [`tolerance-situation:${effect.code}`];
    case 'tolerance-relief':
      return effect.outcomes.map((o) => `tolerance:${o}`);
    case 'excellence-quota':
      return [`excellence-quota:${effect.unitAssessed?.join('/') ?? 'any'}`];
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

/** An override names a rule that exists. */
function checkOverrides(versions: RuleSetVersion[], problems: string[]): void {
  const ids = new Set(versions.flatMap((v) => v.rules.map((r) => r.id)));
  for (const v of versions) {
    for (const rule of v.rules) {
      for (const id of rule.overrides) if (!ids.has(id)) problems.push(`${v.version}: rule ${rule.id} overrides ${id}, which no rule set defines`);
    }
  }
}

function parseDocuments(source: RuleSource, problems: string[]): DocumentSpec[] {
  const raw = parseYamlSource(source, problems);
  if (raw === undefined) return [];
  const parsed = documentsSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...zodProblems(source.name, parsed.error));
    return [];
  }
  return parsed.data.documents;
}

/** Every cited document is registered; only a held one (a file in docs/sources) is quoted verbatim. */
function checkCitedDocuments(versions: RuleSetVersion[], documents: DocumentSpec[], problems: string[]): void {
  const byTitle = new Map(documents.map((d) => [d.title, d]));
  for (const v of versions) {
    for (const rule of v.rules) {
      const document = byTitle.get(rule.citation.document);
      if (!document) problems.push(`${v.version}: rule ${rule.id} cites ${rule.citation.document}, which documents.yaml does not list`);
      else if (!document.file && rule.sourceQuality === 'verbatim') {
        problems.push(`${v.version}: rule ${rule.id} quotes ${rule.citation.document} as verbatim, but its text is not held (reprint or secondary)`);
      }
    }
  }
}

/** A condition names lock rules (after) or priority rules (beside) that exist and are of that kind. */
function checkConditionReferences(versions: RuleSetVersion[], problems: string[]): void {
  const idsOf = (kind: string) => new Set(versions.flatMap((v) => v.rules.filter((r) => r.effect.kind === kind).map((r) => r.id)));
  const lockRules = idsOf('lock');
  const priorityRules = idsOf('priority');
  for (const v of versions) {
    for (const rule of v.rules) {
      if (rule.effect.kind !== 'condition') continue;
      const { after, beside } = rule.effect;
      const named = [...(after && 'lockRules' in after ? after.lockRules.map((id) => ({ id, kind: 'lock' })) : []), ...(beside?.priorityRules ?? []).map((id) => ({ id, kind: 'priority' }))];
      for (const { id, kind } of named) {
        if (!(kind === 'lock' ? lockRules : priorityRules).has(id)) problems.push(`${v.version}: rule ${rule.id} refers to ${id}, which is not a ${kind} rule`);
      }
    }
  }
}

function parseChains(source: RuleSource, knownSets: Set<string>, problems: string[]): Map<string, Jurisdiction> {
  const raw = parseYamlSource(source, problems);
  if (raw === undefined) return new Map();
  const parsed = jurisdictionsSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(...zodProblems(source.name, parsed.error));
    return new Map();
  }
  const jurisdictions = new Map<string, Jurisdiction>();
  for (const [id, entry] of Object.entries(parsed.data.jurisdictions)) {
    const jurisdiction: Jurisdiction = Array.isArray(entry) ? { chain: entry, localRulesNotHeld: [] } : { chain: entry.chain, localRulesNotHeld: entry.localRulesNotHeld ?? [] };
    for (const set of jurisdiction.chain) {
      if (!knownSets.has(set)) problems.push(`${source.name}: ${id} names rule set ${set}, which has no version`);
    }
    if (new Set(jurisdiction.chain).size !== jurisdiction.chain.length) problems.push(`${source.name}: ${id} names a rule set twice`);
    jurisdictions.set(id, jurisdiction);
  }
  return jurisdictions;
}
