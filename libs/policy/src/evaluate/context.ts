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
    for (const fact of history.facts) this.index(fact);
  }

  private index(fact: Fact): void {
    const at = fact.metadata.effectiveAt;
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
        this.postings.push({ effectiveAt: at, unitId: this.postingOn(at)?.unitId ?? '', position: fact.data.newPosition });
        break;
      case 'CadreAdjusted':
        this.postings.push({ effectiveAt: at, unitId: this.postingOn(at)?.unitId ?? '', position: fact.data.newPosition ?? null });
        break;
      default:
        break;
    }
  }

  /** Where the cadre sat on a date: the last posting in effect by then (facts arrive in order). */
  postingOn(date: LocalDate): Posting | null {
    let found: Posting | null = null;
    for (const p of this.postings) {
      if (p.effectiveAt > date) break;
      found = p;
    }
    return found;
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
