import { plusMonths, assertNever, type Fact } from '@cadre-ledger/domain';
import type { Matcher } from '../schema';
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
      const matches = (y: number) => {
        const review = ctx.reviewsByYear.get(y);
        return !!review && grades.includes(review.data.grade);
      };
      return streak(year, m.runningYears ?? 1, matches);
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
      // "While principal": every assessment of the run counts only if the cadre was the unit's
      // principal on its date (RULEBOOK.md, "Terms used below").
      const found = streak(year, m.runningYears ?? 1, (y) => {
        const a = assessments?.get(y);
        return !!a && m.grades.includes(a.data.grade) && (!m.principal || ctx.isPrincipalOn(a.metadata.effectiveAt, unitId));
      });
      return found && { ...found, unitId };
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
    default:
      return assertNever(m);
  }
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
    default:
      return assertNever(m);
  }
}

/**
 * "N years running": the N consecutive calendar years ending with `year` all match (a missing
 * year breaks the run). Returns the last year of the unbroken run that continues from `year`.
 */
function streak(year: number, years: number, matches: (y: number) => boolean): Match | null {
  for (let y = year - years + 1; y <= year; y++) if (!matches(y)) return null;
  let runEnd = year;
  while (matches(runEnd + 1)) runEnd += 1;
  return { runEnd };
}
