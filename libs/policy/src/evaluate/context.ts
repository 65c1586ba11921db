import { plusDays, type Fact, type LocalDate, type ManagedBy, type Position, type UnitRegistered } from '@cadre-ledger/domain';
import type { RuleUnitLevel } from '../schema';
import type { VerdictNote } from '../verdict';
import type { Rule, RuleBook, RuleSetVersion } from '../rule-book';
import type { History, Mitigation, ReviewFact, UnitAssessmentFact } from './history';

interface Posting {
  effectiveAt: LocalDate;
  unitId: string;
  position: Position | null;
  /** 干部管理权限 from this posting on: its own, or the one before it when it names none. */
  managedBy: ManagedBy | undefined;
}

/** Everything a rule may look at besides the fact it judges, built once per evaluation. */
export class EvaluationContext {
  readonly facts: Fact[];
  readonly mitigations: ReadonlyMap<string, Mitigation>;
  readonly reviewsByYear = new Map<number, ReviewFact>();
  readonly unitAssessments = new Map<string, Map<number, UnitAssessmentFact>>();
  readonly investigationClosures = new Map<string, LocalDate>();
  /** 第十五条 cases: caseId → the trigger rule ids its report names. */
  readonly adjustmentCaseTriggers = new Map<string, readonly string[]>();
  readonly units: ReadonlyMap<string, UnitRegistered['data']>;
  readonly cadreId: string;
  /** Each fact's place in `facts`, and the places of each fact type in order: lookups stay logarithmic. */
  private readonly positions = new Map<Fact, number>();
  private readonly byEventId = new Map<string, Fact>();
  private readonly positionsByType = new Map<string, number[]>();
  /** Dates of promotions that carry a consultationRef, in order. */
  readonly consultedPromotions: LocalDate[] = [];
  private readonly postings: Posting[] = [];
  private readonly versionCache = new Map<LocalDate, RuleSetVersion[]>();

  constructor(
    history: History,
    readonly jurisdiction: string,
    readonly asOf: LocalDate,
    private readonly ruleBook: RuleBook,
  ) {
    this.facts = history.facts;
    this.mitigations = history.mitigations;
    this.units = history.units;
    this.cadreId = history.registration?.data.cadreId ?? '';
    history.facts.forEach((fact, position) => this.index(fact, position));
  }

  private index(fact: Fact, position: number): void {
    const at = fact.metadata.effectiveAt;
    this.positions.set(fact, position);
    this.byEventId.set(fact.metadata.eventId, fact);
    const ofType = this.positionsByType.get(fact.type);
    if (ofType) ofType.push(position);
    else this.positionsByType.set(fact.type, [position]);
    switch (fact.type) {
      case 'AnnualReviewRecorded':
        this.reviewsByYear.set(fact.data.year, fact as ReviewFact);
        break;
      case 'UnitAssessmentRecorded': {
        const byYear = this.unitAssessments.get(fact.data.unitId) ?? new Map<number, UnitAssessmentFact>();
        byYear.set(fact.data.year, fact as UnitAssessmentFact);
        this.unitAssessments.set(fact.data.unitId, byYear);
        break;
      }
      case 'InvestigationClosed':
        this.investigationClosures.set(fact.data.caseId, at);
        break;
      case 'AdjustmentReported':
        this.adjustmentCaseTriggers.set(fact.data.caseId, fact.data.triggers);
        break;
      case 'CadreRegistered':
      case 'CadreTransferred':
        this.post(at, fact.data.unitId, fact.data.position, fact.data.managedBy);
        break;
      case 'CadrePromoted':
        if (fact.data.consultationRef) this.consultedPromotions.push(at);
        this.post(at, this.postingOn(at)?.unitId ?? '', fact.data.newPosition, fact.data.managedBy);
        break;
      case 'CadreAdjusted': {
        // A sanction judged as an organizational measure after mitigation made no posting.
        const from = (fact.metadata as { mitigatedFrom?: string }).mitigatedFrom;
        if (from === undefined || from === 'CadreAdjusted') this.post(at, this.postingOn(at)?.unitId ?? '', fact.data.newPosition ?? null, fact.data.managedBy);
        break;
      }
      default:
        break;
    }
  }

  private post(effectiveAt: LocalDate, unitId: string, position: Position | null, managedBy: ManagedBy | undefined): void {
    this.postings.push({ effectiveAt, unitId, position, managedBy: managedBy ?? this.postingOn(effectiveAt)?.managedBy });
  }

  /** Who managed the cadre on a date, when it was ever recorded by then. */
  managedByOn(date: LocalDate): ManagedBy | undefined {
    return this.postingOn(date)?.managedBy;
  }

  /**
   * The management level a rule limited to some levels judges this fact by. A measure (an
   * adjustment or a sanction) is judged by the level that took it (API.md 2026-12b,
   * `measureTakenBy`; absent, the cadre's `managedBy` the day before it took effect, or, for a cadre
   * registered that day, as registered): not by the post it moved the cadre into. Anything else by
   * the cadre's level on its date.
   */
  levelJudging(fact: Fact): ManagedBy | undefined {
    const on = fact.metadata.effectiveAt;
    if (fact.type !== 'CadreAdjusted' && fact.type !== 'SanctionImposed') return this.managedByOn(on);
    return fact.data.measureTakenBy ?? this.managedByOn(plusDays(on, -1)) ?? this.postings.find((p) => p.effectiveAt === on)?.managedBy;
  }

  /** A fact of the history by its event id. */
  fact(eventId: string): Fact | undefined {
    return this.byEventId.get(eventId);
  }

  private readonly notesByKey = new Map<string, VerdictNote>();
  private quiet = 0;

  /** Records what the verdict assumed or could not judge; the same note twice is kept once. */
  note(kind: string, text: string): void {
    if (this.quiet > 0) return;
    const key = `${kind}\u0000${text}`;
    if (!this.notesByKey.has(key)) this.notesByKey.set(key, { kind, text });
  }

  /** Runs `judge` without recording notes: a judgement made only to see what it would give. */
  hypothetically<T>(judge: () => T): T {
    this.quiet += 1;
    try {
      return judge();
    } finally {
      this.quiet -= 1;
    }
  }

  get notes(): VerdictNote[] {
    return [...this.notesByKey.values()];
  }

  positionOf(fact: Fact): number {
    return this.positions.get(fact) ?? -1;
  }

  /** The first fact after `position` of one of these types (and, if given, satisfying `accept`), or undefined. */
  nextOfTypes(position: number, types: readonly string[], accept?: (fact: Fact) => boolean): Fact | undefined {
    let next = Infinity;
    for (const type of types) {
      const list = this.positionsByType.get(type);
      if (!list) continue;
      for (let i = firstIndex(list, (p) => p > position); i < list.length && list[i] < next; i++) {
        if (!accept || accept(this.facts[list[i]])) {
          next = list[i];
          break;
        }
      }
    }
    return next === Infinity ? undefined : this.facts[next];
  }

  private readonly memos = new Map<string, unknown>();

  /** A value derived from the history once per evaluation (indexes that several matches share). */
  memo<T>(key: string, build: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, build());
    return this.memos.get(key) as T;
  }

  /** The facts of one type, in order. */
  factsOfType(type: string): Fact[] {
    return (this.positionsByType.get(type) ?? []).map((p) => this.facts[p]);
  }

  /** Where the cadre sat on a date: the last posting in effect by then (facts arrive in order). */
  postingOn(date: LocalDate): Posting | null {
    const after = firstIndex(this.postings, (p) => p.effectiveAt > date);
    return after === 0 ? null : this.postings[after - 1];
  }

  /** The cadre was the principal (主要负责同志) of `unitId` (or of whatever unit it sat in) on `date`. */
  isPrincipalOn(date: LocalDate, unitId?: string): boolean {
    const posting = this.postingOn(date);
    return !!posting?.position?.principal && (unitId === undefined || posting.unitId === unitId);
  }

  /**
   * A unit's level as rules read it (schema.ts, RULE_UNIT_LEVELS), or null when the unit (or the
   * parent a department takes its level from) was never registered.
   */
  unitLevel(unitId: string): RuleUnitLevel | null {
    const unit = this.units.get(unitId);
    if (!unit) return null;
    if (unit.level !== 'department') return unit.level;
    const parent = unit.parentUnitId === undefined ? undefined : this.units.get(unit.parentUnitId);
    return parent && parent.level !== 'department' ? `${parent.level}-department` : null;
  }

  /** The local texts not held for cadres of this management level in the cadre's jurisdiction. */
  localRulesNotHeld(managedBy: ManagedBy): string[] {
    return this.ruleBook.localRulesNotHeld(this.jurisdiction, managedBy);
  }

  /** Every rule of the cadre's chain, in any version and period, that reads facts of this type. */
  rulesEverReading(fact: Fact): Rule[] {
    return this.memo(`ever:${fact.type}`, () =>
      this.ruleBook
        .chain(this.jurisdiction)
        .flatMap((set) => this.ruleBook.allVersions().filter((v) => v.ruleSet === set))
        .flatMap((v) => v.rulesByFact.get(fact.type) ?? []),
    );
  }

  /** The version a rule belongs to. */
  versionOf(rule: Rule): RuleSetVersion {
    return this.ruleBook.allVersions().find((v) => v.version === rule.version)!;
  }

  /**
   * The versions of the cadre's chain in force on a date, most specific first; with `asIfInForce`,
   * that version in its set's place, as if it had been in force then.
   */
  versionsOn(date: LocalDate, asIfInForce?: RuleSetVersion): RuleSetVersion[] {
    let versions = this.versionCache.get(date);
    if (!versions) {
      versions = this.ruleBook.versionsInForce(this.jurisdiction, date);
      this.versionCache.set(date, versions);
    }
    if (!asIfInForce || versions.includes(asIfInForce)) return versions;
    const inForce = versions;
    return this.ruleBook.chain(this.jurisdiction).flatMap((set) => (set === asIfInForce.ruleSet ? [asIfInForce] : inForce.filter((v) => v.ruleSet === set)));
  }
}

/** The first index whose element satisfies a predicate that is false, then true, along the list. */
export function firstIndex<T>(list: readonly T[], satisfies: (item: T) => boolean, end = list.length): number {
  let low = 0;
  let high = end;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (satisfies(list[mid])) high = mid;
    else low = mid + 1;
  }
  return low;
}
