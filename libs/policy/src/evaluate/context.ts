import type { Fact, LocalDate, Position } from '@cadre-ledger/domain';
import type { RuleBook, RuleSetVersion } from '../rule-book';
import type { History, Mitigation, ReviewFact, UnitAssessmentFact } from './history';

interface Posting {
  effectiveAt: LocalDate;
  unitId: string;
  position: Position | null;
}

/** Everything a rule may look at besides the fact it judges, built once per evaluation. */
export class EvaluationContext {
  readonly facts: Fact[];
  readonly mitigations: ReadonlyMap<string, Mitigation>;
  readonly reviewsByYear = new Map<number, ReviewFact>();
  readonly unitAssessments = new Map<string, Map<number, UnitAssessmentFact>>();
  readonly investigationClosures = new Map<string, LocalDate>();
  /** Each fact's place in `facts`, and the places of each fact type in order: lookups stay logarithmic. */
  private readonly positions = new Map<Fact, number>();
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
    history.facts.forEach((fact, position) => this.index(fact, position));
  }

  private index(fact: Fact, position: number): void {
    const at = fact.metadata.effectiveAt;
    this.positions.set(fact, position);
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
      case 'CadreRegistered':
      case 'CadreTransferred':
        this.postings.push({ effectiveAt: at, unitId: fact.data.unitId, position: fact.data.position });
        break;
      case 'CadrePromoted':
        if (fact.data.consultationRef) this.consultedPromotions.push(at);
        this.postings.push({ effectiveAt: at, unitId: this.postingOn(at)?.unitId ?? '', position: fact.data.newPosition });
        break;
      case 'CadreAdjusted':
        this.postings.push({ effectiveAt: at, unitId: this.postingOn(at)?.unitId ?? '', position: fact.data.newPosition ?? null });
        break;
      default:
        break;
    }
  }

  positionOf(fact: Fact): number {
    return this.positions.get(fact) ?? -1;
  }

  /** The first fact after `position` of one of these types, or undefined. */
  nextOfTypes(position: number, types: readonly string[]): Fact | undefined {
    let next = Infinity;
    for (const type of types) {
      const list = this.positionsByType.get(type);
      if (!list) continue;
      const i = firstIndex(list, (p) => p > position);
      if (i < list.length) next = Math.min(next, list[i]);
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

  isPrincipalOn(date: LocalDate, unitId?: string): boolean {
    const posting = this.postingOn(date);
    return !!posting?.position?.principal && (unitId === undefined || posting.unitId === unitId);
  }

  /** The versions of the cadre's chain in force on a date, most specific first. */
  versionsOn(date: LocalDate): RuleSetVersion[] {
    let versions = this.versionCache.get(date);
    if (!versions) {
      versions = this.ruleBook.versionsInForce(this.jurisdiction, date);
      this.versionCache.set(date, versions);
    }
    return versions;
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
