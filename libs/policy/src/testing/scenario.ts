import type { Fact } from '@cadre-ledger/domain';
import type { Verdict } from '../verdict';

/**
 * Rule scenarios (OpenFisca-style YAML test cases, libs/policy/scenarios/*.yaml): a cadre, facts
 * with effective and recorded dates, and the verdicts expected at given `asOf`/`knownAt`.
 * Every verdict list not named in an expectation must be empty, so a scenario pins down the whole
 * answer, not just the part it is about.
 */
export interface ScenarioFile {
  scenarios: Scenario[];
}

export interface Scenario {
  title: string;
  /** Rule ids this scenario is about; each must show up in one of its verdicts (or situation lists). */
  rules: string[];
  cadre: { jurisdiction: string; unitId?: string; principal?: boolean; registeredOn?: string; managedBy?: string; partySecretary?: boolean; portfolios?: string[]; cadreId?: string };
  facts: ScenarioFact[];
  expect: Expectation[];
}

export interface ScenarioFact {
  id: string;
  type: Fact['type'];
  effectiveAt: string;
  /** Default: 10:00 UTC on the effective date. */
  recordedAt?: string;
  data?: Record<string, unknown>;
}

export interface ExpectedLock {
  rule: string;
  kind: string;
  from: string;
  until: string | null;
  source: string;
  /** The document its citation names (any, when not stated): which dated text judged the fact. */
  document?: string;
}

export interface ExpectedEntry {
  rule: string;
  kind: string;
  since: string;
  until?: string;
  source?: string;
  document?: string;
}

export interface Expectation {
  asOf?: string;
  knownAt?: string;
  promotable?: boolean;
  locks?: ExpectedLock[];
  priorities?: ExpectedEntry[];
  reviewTriggers?: ExpectedEntry[];
  conditions?: ExpectedEntry[];
  benefits?: ExpectedEntry[];
  exclusions?: { rule: string; kind: string; year: number; since: string; until: string; source?: string }[];
  ruleSets?: string[];
  neutralised?: { source: string; by: string; outcome: string; rule?: string }[];
  /** The excellence quota for the cadre's jurisdiction on `asOf`, for a unit of this grade (null: none applies). */
  quota?: { unitGrade?: string; rule: string | null; rate?: number; cap?: number };
  /** Situation codes the cadre's rule sets offer on `asOf`. */
  situations?: string[];
  /** The verdict's notes: each kind, and a phrase its text contains. None when not named. */
  notes?: { kind: string; about?: string }[];
}

export const DEFAULT_KNOWN_AT = '2026-11-22T00:00:00Z';

export function scenarioHistory(scenario: Scenario): Fact[] {
  const { jurisdiction, unitId = 'unit-1', principal = false, registeredOn = '2010-01-01', managedBy, partySecretary, portfolios, cadreId = 'cadre-1' } = scenario.cadre;
  const registration: ScenarioFact = {
    id: 'registration',
    type: 'CadreRegistered',
    effectiveAt: registeredOn,
    data: {
      cadreId,
      name: '李明',
      unitId,
      jurisdiction,
      position: { title: '局长', level: 'county-chief', leadership: true, principal, ...(partySecretary === undefined ? {} : { partySecretary }), ...(portfolios ? { portfolios } : {}) },
      ...(managedBy ? { managedBy } : {}),
    },
  };
  return [registration, ...scenario.facts].map((f, revision) => ({
    type: f.type,
    data: f.data ?? {},
    metadata: {
      eventId: f.id,
      effectiveAt: f.effectiveAt,
      recordedAt: f.recordedAt ?? `${f.effectiveAt}T10:00:00Z`,
      actor: 'scenario',
      revision,
    },
  })) as Fact[];
}

/** The verdict reduced to what scenarios state, so a mismatch prints as a readable diff. */
export function summarise(verdict: Verdict) {
  const entry = (e: Verdict['priorities'][number]) => ({
    rule: e.ruleId,
    kind: e.kind,
    since: e.since,
    ...(e.until ? { until: e.until } : {}),
    source: e.sourceEventId,
    document: e.citation.document,
  });
  return {
    promotable: verdict.promotable,
    locks: verdict.locks.map((l) => ({ rule: l.ruleId, kind: l.kind, from: l.from, until: l.until, source: l.sourceEventId, document: l.citation.document })),
    priorities: verdict.priorities.map(entry),
    reviewTriggers: verdict.reviewTriggers.map(entry),
    conditions: verdict.conditions.map(entry),
    benefits: verdict.benefits.map(entry),
    exclusions: verdict.exclusions.map((e) => ({ rule: e.ruleId, kind: e.kind, year: e.year, since: e.since, until: e.until, source: e.sourceEventId })),
    ruleSets: verdict.ruleSets,
    neutralised: verdict.neutralised.map((n) => ({ source: n.sourceEventId, by: n.byEventId, outcome: n.outcome, ...(n.ruleId ? { rule: n.ruleId } : {}) })),
    notes: verdict.notes,
  };
}
