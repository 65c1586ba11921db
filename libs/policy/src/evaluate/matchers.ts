import { plusMonths, assertNever, yearOf, type Fact, type UnitFindingRecorded } from '@cadre-ledger/domain';
import type { Concerned, Matcher, RuleUnitLevel } from '../schema';
import { firstIndex, type EvaluationContext } from './context';

/** Where a matched streak ends: the last year of the unbroken run the fact belongs to. */
export interface Match {
  runEnd?: number;
  unitId?: string;
  /** Fields the fact lacks that the rule was taken to be satisfied on (older records). */
  assumed?: string[];
}

/** Does the fact satisfy the matcher? Returns what the effect needs to know about the match. */
export function match(m: Matcher, fact: Fact, ctx: EvaluationContext): Match | null {
  if (m.fact !== fact.type) return null;
  switch (m.fact) {
    case 'AnnualReviewRecorded': {
      if (fact.type !== 'AnnualReviewRecorded') return null;
      const { year, grade, unfavourableVoteShare } = fact.data;
      if (m.grades && !m.grades.includes(grade)) return null;
      if (m.unfavourableVoteShareAtLeast !== undefined && !((unfavourableVoteShare ?? -1) >= m.unfavourableVoteShareAtLeast)) return null;
      const grades = m.grades;
      if (!grades) return {};
      const here = ctx.positionOf(fact);
      const matches = (y: number, by = Infinity) => {
        const review = ctx.reviewsByYear.get(y);
        return !!review && grades.includes(review.data.grade) && ctx.positionOf(review) <= by;
      };
      return streak(year, m.runningYears ?? 1, (y) => matches(y, here), matches);
    }
    case 'UnitAssessmentRecorded': {
      if (fact.type !== 'UnitAssessmentRecorded') return null;
      const { unitId, year, grade } = fact.data;
      const at = fact.metadata.effectiveAt;
      // Unit facts apply to the cadres whose post was in that unit on the unit fact's date.
      if (ctx.postingOn(at)?.unitId !== unitId) return null;
      if (m.principal && !ctx.isPrincipalOn(at, unitId)) return null;
      if (!m.grades.includes(grade)) return null;
      const assessments = ctx.unitAssessments.get(unitId);
      const here = ctx.positionOf(fact);
      // "While principal": every assessment of the run counts only if the cadre was the unit's
      // principal on its date (RULEBOOK.md, "Terms used below").
      const matches = (y: number, by = Infinity) => {
        const a = assessments?.get(y);
        return !!a && m.grades.includes(a.data.grade) && ctx.positionOf(a) <= by && (!m.principal || ctx.isPrincipalOn(a.metadata.effectiveAt, unitId));
      };
      const found = streak(year, m.runningYears ?? 1, (y) => matches(y, here), matches);
      if (!found || (m.unitLevels && !unitLevelFits(m.unitLevels, unitId, `assessment ${fact.metadata.eventId} of ${at} (${year} ${grade})`, ctx))) return null;
      return { ...found, unitId };
    }
    case 'SanctionImposed':
      return fact.type === 'SanctionImposed' && fact.data.system === m.system && m.kinds.includes(fact.data.kind) ? {} : null;
    case 'TalkHeld': {
      if (fact.type !== 'TalkHeld' || !m.kinds.includes(fact.data.kind)) return null;
      const at = fact.metadata.effectiveAt;
      if (m.principal && !ctx.isPrincipalOn(at)) return null;
      if (!m.atLeast) return {};
      const { count, withinMonths } = m.atLeast;
      // Talks up to and including this one whose window of N months still covers this one's date:
      // the talks are in date order and the window test is monotone in the earlier talk's date.
      // Only talks held while the cadre was a principal count, when the rule is about principals.
      const talks = ctx.memo(`talks:${m.kinds.join(',')}:${m.principal ? 'principal' : 'any'}`, () => {
        const list = ctx
          .factsOfType('TalkHeld')
          .filter((f) => f.type === 'TalkHeld' && m.kinds.includes(f.data.kind) && (!m.principal || ctx.isPrincipalOn(f.metadata.effectiveAt)));
        return { list, index: new Map(list.map((f, i) => [f, i])) };
      });
      const k = talks.index.get(fact) ?? 0;
      const first = firstIndex(talks.list, (other) => at < plusMonths(other.metadata.effectiveAt, withinMonths), k);
      const seen = k - first + 1;
      return seen >= count ? {} : null;
    }
    case 'CommendationIssued': {
      if (fact.type !== 'CommendationIssued') return null;
      if (m.levels && !m.levels.includes(fact.data.level)) return null;
      if (m.kinds && !m.kinds.includes(fact.data.kind)) return null;
      // A commendation recorded without field or awardedBy (older records) is taken to qualify.
      const assumed: string[] = [];
      if (m.fields) {
        if (fact.data.field === undefined) assumed.push('field');
        else if (!m.fields.includes(fact.data.field)) return null;
      }
      if (m.awardedBy) {
        if (fact.data.awardedBy === undefined) assumed.push('awardedBy');
        else if (!m.awardedBy.includes(fact.data.awardedBy)) return null;
      }
      return assumed.length > 0 ? { assumed } : {};
    }
    case 'CadreAdjusted':
      return fact.type === 'CadreAdjusted' && m.kinds.includes(fact.data.kind) ? {} : null;
    case 'CautionIssued':
    case 'InvestigationOpened':
      return {};
    case 'UnitFindingRecorded':
      return fact.type === 'UnitFindingRecorded' ? matchUnitFinding(m, fact, ctx) : null;
    case 'CadreFindingRecorded':
      return fact.type === 'CadreFindingRecorded' && fact.data.category === m.category && (m.kinds as readonly string[]).includes(fact.data.kind) ? {} : null;
    default:
      return assertNever(m);
  }
}

type UnitFindingMatcher = Extract<Matcher, { fact: 'UnitFindingRecorded' }>;
type FindingFact = Fact<UnitFindingRecorded>;

/** The year a finding is of: its `year`, or the year of its date. */
export const findingYear = (f: FindingFact): number => f.data.year ?? yearOf(f.metadata.effectiveAt);

/**
 * A unit finding (陕西 能上能下办法 第六、八–十三条; 张家界 措施5; 工作落实): of the category and kinds,
 * criticised by whom the article names, at a grade, on a unit of the level the article names,
 * counted within a window or over consecutive years, and concerning this cadre as the article
 * says. Counted findings count only while the cadre was concerned ("while principal").
 */
function matchUnitFinding(m: UnitFindingMatcher, fact: FindingFact, ctx: EvaluationContext): Match | null {
  const { unitId } = fact.data;
  const at = fact.metadata.effectiveAt;
  if (!findingFits(m, fact) || !concerns(m, fact, ctx)) return null;
  if (m.unitLevels && !unitLevelFits(m.unitLevels, unitId, `finding ${fact.metadata.eventId} of ${at} (${m.category} ${fact.data.kind})`, ctx)) return null;
  const peers = () =>
    ctx.memo(`findings:${unitId}:${JSON.stringify(m)}`, () =>
      ctx.factsOfType('UnitFindingRecorded').filter((f): f is FindingFact => f.type === 'UnitFindingRecorded' && f.data.unitId === unitId && findingFits(m, f) && concerns(m, f, ctx)),
    );
  if (m.atLeast) {
    const from = plusMonths(at, -m.atLeast.withinMonths);
    const within = peers().filter((f) => f.metadata.effectiveAt > from && ctx.positionOf(f) <= ctx.positionOf(fact));
    if (within.length < m.atLeast.count) return null;
  }
  if (m.runningYears) {
    const years = new Set(peers().filter((f) => ctx.positionOf(f) <= ctx.positionOf(fact)).map(findingYear));
    const year = findingYear(fact);
    for (let y = year - m.runningYears + 1; y <= year; y++) if (!years.has(y)) return null;
  }
  return { unitId };
}

/** The unit is of one of these levels; an unregistered one is of none, and the verdict says which fact it left unjudged. */
function unitLevelFits(levels: readonly RuleUnitLevel[], unitId: string, what: string, ctx: EvaluationContext): boolean {
  const level = ctx.unitLevel(unitId);
  if (level === null) {
    ctx.note('unit-not-registered', `unit ${unitId} is not registered (or its parent is not): the rules that depend on its level did not judge ${what}`);
    return false;
  }
  return levels.includes(level);
}

/** The finding is of the matcher's category, kinds, critic and grade. */
function findingFits(m: UnitFindingMatcher, f: FindingFact): boolean {
  const d = f.data;
  return d.category === m.category && m.kinds.includes(d.kind) && (!m.criticisedBy || (d.criticisedBy !== undefined && m.criticisedBy.includes(d.criticisedBy))) && (!m.levels || (d.level !== undefined && m.levels.includes(d.level)));
}

/** Is this cadre one of those the article names, on the finding's date? */
function concerns(m: UnitFindingMatcher, f: FindingFact, ctx: EvaluationContext): boolean {
  const at = f.metadata.effectiveAt;
  const posting = ctx.postingOn(at);
  const inUnit = posting !== null && posting.unitId === f.data.unitId ? posting.position : null;
  const is = (who: Concerned): boolean => {
    switch (who) {
      case 'named':
        return f.data.cadreIds?.includes(ctx.cadreId) ?? false;
      case 'principal':
        return !!inUnit?.principal;
      case 'secretary':
        // The cadre with partySecretary; a principal whose post does not say it is not the secretary counts as the secretary.
        return !!inUnit && (inUnit.partySecretary === true || (inUnit.principal && inUnit.partySecretary === undefined));
      case 'party-government-principal':
        return !!inUnit && (inUnit.principal || inUnit.partySecretary === true);
      case 'portfolio':
        return !!inUnit && inUnit.leadership && m.portfolio !== undefined && (inUnit.portfolios ?? []).includes(m.portfolio);
      default:
        return assertNever(who);
    }
  };
  return m.concerned.some(is);
}

/**
 * Could this matcher ever match this fact, on some date and history? Its type and the kinds it
 * names only: what `no-rule-for-date` asks of the rules not in force on the fact's date.
 */
export function couldMatch(m: Matcher, fact: Fact): boolean {
  if (m.fact !== fact.type) return false;
  switch (m.fact) {
    case 'AnnualReviewRecorded':
      return fact.type === 'AnnualReviewRecorded' && (!m.grades || m.grades.includes(fact.data.grade)) && (m.unfavourableVoteShareAtLeast === undefined || (fact.data.unfavourableVoteShare ?? -1) >= m.unfavourableVoteShareAtLeast);
    case 'UnitAssessmentRecorded':
      return fact.type === 'UnitAssessmentRecorded' && m.grades.includes(fact.data.grade);
    case 'SanctionImposed':
      return fact.type === 'SanctionImposed' && fact.data.system === m.system && m.kinds.includes(fact.data.kind);
    case 'TalkHeld':
      return fact.type === 'TalkHeld' && m.kinds.includes(fact.data.kind);
    case 'CommendationIssued':
      return fact.type === 'CommendationIssued' && (!m.levels || m.levels.includes(fact.data.level)) && (!m.kinds || m.kinds.includes(fact.data.kind));
    case 'CadreAdjusted':
      return fact.type === 'CadreAdjusted' && m.kinds.includes(fact.data.kind);
    case 'CautionIssued':
    case 'InvestigationOpened':
      return true;
    case 'UnitFindingRecorded':
      return fact.type === 'UnitFindingRecorded' && findingFits(m, fact);
    case 'CadreFindingRecorded':
      return fact.type === 'CadreFindingRecorded' && (m.kinds as readonly string[]).includes(fact.data.kind);
    default:
      return assertNever(m);
  }
}

/**
 * "N years running": `year` lies in a run of at least N consecutive calendar years that all match
 * among the facts in effect so far (`matchesNow`; a missing year breaks the run). A review recorded
 * late with its own date, whichever year it is of, completes the streak on its date (RULEBOOK.md
 * 2026-12b, "Streaks completed late"). Returns the last year of the run as the whole history has
 * it (`matchesEver`): what tells one run from another.
 */
function streak(year: number, years: number, matchesNow: (y: number) => boolean, matchesEver: (y: number) => boolean): Match | null {
  if (!matchesNow(year)) return null;
  let first = year;
  let last = year;
  while (last - first + 1 < years && matchesNow(first - 1)) first -= 1;
  while (last - first + 1 < years && matchesNow(last + 1)) last += 1;
  if (last - first + 1 < years) return null;
  let runEnd = year;
  while (matchesEver(runEnd + 1)) runEnd += 1;
  return { runEnd };
}
