import type { LocalDate } from './shared/local-date';
import type { UnitGrade } from './shared/vocabulary';

/** The clause a rule encodes (RULEBOOK.md): document, article and the quoted Chinese text. */
export interface Citation {
  document: string;
  article: string;
  text: string;
}

/** A lock as the verdict lists it (API.md, "The eligibility verdict"). */
export interface BlockingLock {
  lockId: string;
  kind: string;
  ruleId: string;
  from: LocalDate;
  /** Exclusive; null while open-ended. */
  until: LocalDate | null;
  sourceEventId: string;
  citation: Citation;
}

export interface BlockingCondition {
  ruleId: string;
  kind: string;
  since: LocalDate;
  until?: LocalDate | null;
  citation: Citation;
}

/** The 优秀 quota rule in force (API.md, "Excellence quotas, exactly"): limit floor(headcount × rate), up to cap with an override. */
export interface ExcellenceQuota {
  ruleId: string;
  rate: number;
  cap: number;
  citation: Citation;
}

/**
 * What the deciders need from the rules. The domain does not import the policy engine (it depends
 * on the domain); the command handler passes in an implementation built over the cadre's history,
 * so a decider "asks the policy engine" without knowing where the answer comes from.
 */
export interface PolicyPort {
  /** Is this jurisdiction in the configured chains? */
  isKnownJurisdiction(jurisdiction: string): boolean;
  /** Tolerance situation codes of the jurisdiction's rule sets in force on `on`. */
  toleranceSituations(jurisdiction: string, on: LocalDate): readonly string[];
  /** Locks holding on `asOf`, and `consultation-required` conditions standing on it. */
  promotionBlockers(asOf: LocalDate): { locks: BlockingLock[]; consultationRequired: BlockingCondition[] };
  /** The excellence quota for a unit of the jurisdiction on a date, given the unit's own grade for the year (if recorded). */
  excellenceQuota(jurisdiction: string, on: LocalDate, unitGrade: UnitGrade | undefined): ExcellenceQuota | null;
  /** Review triggers standing on `asOf`; `answeredByAdjustment`: an adjustment (能下) is what resolves it. */
  openReviewTriggers(asOf: LocalDate): { ruleId: string; kind: string; since: LocalDate; answeredByAdjustment: boolean }[];
}

/**
 * The commands whose deciders ask the policy engine about the cadre's history (a promotion's locks
 * and consultation; a 第十五条 report's standing triggers): only these need the cadre's and its
 * units' facts loaded. Every other decider asks only about the rule book.
 */
export const COMMANDS_ASKING_HISTORY = ['PromoteCadre', 'ReportAdjustment'] as const;

export const asksHistory = (commandType: string): boolean => (COMMANDS_ASKING_HISTORY as readonly string[]).includes(commandType);
