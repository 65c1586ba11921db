import type { BlockingLock, Citation, LocalDate, ManagedBy, Timestamp } from '@cadre-ledger/domain';

/**
 * A lock (API.md): `until` exclusive, null while open-ended. `ruleSet` names the version applied.
 * `measureTakenBy`: for a lock from a measure (an adjustment, a sanction), the level that took it,
 * as recorded or else the cadre's level the day before; absent when neither is known.
 */
export interface VerdictLock extends BlockingLock {
  ruleSet: string;
  measureTakenBy?: ManagedBy;
}

/** A priority, review trigger, condition or benefit: `until` only where bounded. */
export interface VerdictEntry {
  ruleId: string;
  kind: string;
  since: LocalDate;
  until?: LocalDate;
  sourceEventId: string;
  citation: Citation;
  ruleSet: string;
}

/** A bar from 评先评优 for a year (API.md, "Verdict additions"), held from the fact's date to the end of the year after it. */
export interface VerdictExclusion {
  ruleId: string;
  kind: string;
  year: number;
  since: LocalDate;
  until: LocalDate;
  sourceEventId: string;
  citation: Citation;
  ruleSet: string;
}

/** A fact whose effects a tolerance decision or a clearance removed or lightened (an extension of API.md). */
export interface NeutralisedFact {
  sourceEventId: string;
  byEventId: string;
  outcome: 'exempted' | 'mitigated' | 'cleared';
  /** The relief rule applied (none for a clearance, which every rule set honours). */
  ruleId?: string;
}

/**
 * What the verdict assumed or could not judge (API.md, "Verdict additions"): one of
 * VERDICT_NOTE_KINDS (`managed-by-assumed`, `local-rules-not-held`, `no-rule-for-date`,
 * `commendation-scope-assumed`, `unit-not-registered`, `talk-holder-unknown`).
 */
export interface VerdictNote {
  kind: string;
  text: string;
}

/** The eligibility verdict of API.md, plus `neutralised`, `notes` and each entry's `ruleSet`. */
export interface Verdict {
  cadreId: string;
  asOf: LocalDate;
  knownAt: Timestamp;
  promotable: boolean;
  locks: VerdictLock[];
  priorities: VerdictEntry[];
  reviewTriggers: VerdictEntry[];
  conditions: VerdictEntry[];
  benefits: VerdictEntry[];
  /** Bars from 评先评优 in force on `asOf`. */
  exclusions: VerdictExclusion[];
  /** The versions of the cadre's chain in force on `asOf`, most specific first. */
  ruleSets: string[];
  neutralised: NeutralisedFact[];
  notes: VerdictNote[];
}

export interface EvaluationTime {
  /** Facts that took effect at or before this date. */
  asOf: LocalDate;
  /** Facts recorded at or before this instant (and retractions recorded by then). */
  knownAt: Timestamp;
}
