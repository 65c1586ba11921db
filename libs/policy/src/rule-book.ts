import { compareText, daysBetween, type Citation, type ExcellenceQuota, type LocalDate, type UnitGrade } from '@cadre-ledger/domain';
import type { ManagedBy } from '@cadre-ledger/domain';
import type { DocumentSpec, Effect, Matcher, PeriodEndConvention, SOURCE_QUALITIES } from './schema';

export type SourceQuality = (typeof SOURCE_QUALITIES)[number];

/**
 * A rule as loaded, for one dated span of its life (a rule with several periods loads as one Rule
 * per period, sharing its id): its spec plus where it comes from and the effect keys it may claim.
 */
export interface Rule {
  id: string;
  ruleSet: string;
  version: string;
  matchers: Matcher[];
  effect: Effect;
  citation: Citation;
  sourceQuality: SourceQuality;
  /** Inclusive. */
  effectiveFrom: LocalDate;
  /** Exclusive; null while in force. */
  effectiveTo: LocalDate | null;
  /** The 干部管理权限 levels the text covers; absent: every cadre. */
  appliesTo?: { managedBy: readonly ManagedBy[] };
  /** Rules this one switches off for the facts it covers. */
  overrides: readonly string[];
  source?: string;
  assumptions: readonly string[];
  note?: string;
  /** The effect keys this rule can produce (e.g. `lock:demotion`); two rules of one version never share one on one date. */
  keys: string[];
}

export const inForceOn = (rule: Pick<Rule, 'effectiveFrom' | 'effectiveTo'>, date: LocalDate): boolean =>
  rule.effectiveFrom <= date && (rule.effectiveTo === null || date < rule.effectiveTo);

/** How many days lie between a date and a rule's span: 0 when it is in force on the date. */
export function daysFromSpan(rule: Pick<Rule, 'effectiveFrom' | 'effectiveTo'>, date: LocalDate): number {
  if (inForceOn(rule, date)) return 0;
  return rule.effectiveFrom > date ? daysBetween(date, rule.effectiveFrom) : daysBetween(rule.effectiveTo!, date) + 1;
}

/**
 * Of the dated spans of each rule, the one in force on `date`, or else the one nearest to it in
 * time (on a tie, the later: a text that followed rather than one repealed); nearest first.
 */
export function nearestSpans(spans: readonly Rule[], date: LocalDate): Rule[] {
  const byId = new Map<string, Rule>();
  const nearer = (a: Rule, b: Rule) => daysFromSpan(a, date) - daysFromSpan(b, date) || compareText(b.effectiveFrom, a.effectiveFrom);
  for (const span of spans) {
    const best = byId.get(span.id);
    if (!best || nearer(span, best) < 0) byId.set(span.id, span);
  }
  return [...byId.values()].sort(nearer);
}

/** A jurisdiction's chain, and the local texts it depends on that the ledger does not hold. */
export interface Jurisdiction {
  chain: readonly string[];
  localRulesNotHeld: readonly { managedBy: readonly ManagedBy[]; document: string }[];
}

export interface RuleSetVersion {
  ruleSet: string;
  version: string;
  title: string;
  effectiveFrom: LocalDate;
  effectiveTo: LocalDate | null;
  /** How a period of N months ends (schema.ts, PERIOD_END_CONVENTIONS). */
  periodEnd: PeriodEndConvention;
  rules: Rule[];
  /** The rules that read each fact type, in file order (every dated span): the evaluation's index. */
  rulesByFact: ReadonlyMap<string, Rule[]>;
  /** The rules that follow ended locks. */
  conditionRules: Rule[];
}

/** Indexes a version's rules by the fact types their matchers read. */
export function indexRules(rules: Rule[]): Pick<RuleSetVersion, 'rulesByFact' | 'conditionRules'> {
  const rulesByFact = new Map<string, Rule[]>();
  for (const rule of rules) {
    for (const fact of new Set(rule.matchers.map((m) => m.fact))) rulesByFact.set(fact, [...(rulesByFact.get(fact) ?? []), rule]);
  }
  return { rulesByFact, conditionRules: rules.filter((r) => r.effect.kind === 'condition') };
}

/** The versions of every rule set and the jurisdiction chains: everything `evaluate` consults. */
export class RuleBook {
  private readonly versionsBySet: Map<string, RuleSetVersion[]>;

  constructor(
    versions: readonly RuleSetVersion[],
    private readonly jurisdictionsById: ReadonlyMap<string, Jurisdiction>,
    /** The documents rules may cite (documents.yaml). */
    readonly documents: readonly DocumentSpec[] = [],
  ) {
    this.versionsBySet = new Map();
    for (const v of versions) {
      const list = this.versionsBySet.get(v.ruleSet) ?? [];
      list.push(v);
      list.sort((a, b) => compareText(a.effectiveFrom, b.effectiveFrom));
      this.versionsBySet.set(v.ruleSet, list);
    }
  }

  get jurisdictions(): string[] {
    return [...this.jurisdictionsById.keys()];
  }

  hasJurisdiction(jurisdiction: string): boolean {
    return this.jurisdictionsById.has(jurisdiction);
  }

  /** Is rule `ruleId` a trigger that an adjustment resolves (in any of its versions)? */
  answeredByAdjustment(ruleId: string): boolean {
    return this.allVersions().some((v) => v.rules.some((r) => r.id === ruleId && r.effect.kind === 'trigger' && r.effect.resolvedBy.includes('CadreAdjusted')));
  }

  /** The rule sets of a jurisdiction, most specific first (RULEBOOK.md, "How rules combine"). */
  chain(jurisdiction: string): readonly string[] {
    return this.jurisdictionsById.get(jurisdiction)?.chain ?? [];
  }

  /** The local texts not held for cadres of a management level in this jurisdiction. */
  localRulesNotHeld(jurisdiction: string, managedBy: ManagedBy): string[] {
    return (this.jurisdictionsById.get(jurisdiction)?.localRulesNotHeld ?? []).filter((l) => l.managedBy.includes(managedBy)).map((l) => l.document);
  }

  /** The version of each set in the chain that is in force on `on`, most specific first. */
  versionsInForce(jurisdiction: string, on: LocalDate): RuleSetVersion[] {
    const inForce: RuleSetVersion[] = [];
    for (const set of this.chain(jurisdiction)) {
      const version = this.versionsBySet
        .get(set)
        ?.find((v) => v.effectiveFrom <= on && (v.effectiveTo === null || on < v.effectiveTo));
      if (version) inForce.push(version);
    }
    return inForce;
  }

  /** Tolerance situation codes in force for a jurisdiction on a date. */
  toleranceSituations(jurisdiction: string, on: LocalDate): string[] {
    const codes = new Set<string>();
    for (const version of this.versionsInForce(jurisdiction, on)) {
      for (const rule of version.rules) if (rule.effect.kind === 'tolerance-situation' && inForceOn(rule, on)) codes.add(rule.effect.code);
    }
    return [...codes].sort(compareCodes);
  }

  /**
   * The excellence quota in force on `on` for a unit of this jurisdiction: the most specific rule
   * whose condition holds (a set's rule for an excellent unit, else the next set's), or null.
   */
  excellenceQuota(jurisdiction: string, on: LocalDate, unitGrade: UnitGrade | undefined): ExcellenceQuota | null {
    for (const version of this.versionsInForce(jurisdiction, on)) {
      for (const rule of version.rules) {
        const effect = rule.effect;
        if (effect.kind !== 'excellence-quota' || !inForceOn(rule, on)) continue;
        if (effect.unitAssessed && (unitGrade === undefined || !effect.unitAssessed.includes(unitGrade))) continue;
        return { ruleId: rule.id, rate: effect.rate, cap: effect.cap ?? effect.rate, citation: rule.citation };
      }
    }
    return null;
  }

  /** Every version, for listing and documentation. */
  allVersions(): RuleSetVersion[] {
    return [...this.versionsBySet.values()].flat();
  }
}

/** SN-2 before SN-10. */
function compareCodes(a: string, b: string): number {
  const [pa, na] = a.split('-');
  const [pb, nb] = b.split('-');
  return pa === pb ? Number(na) - Number(nb) : compareText(pa, pb);
}
