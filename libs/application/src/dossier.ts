import { lockKindZh, ZH, type Citation, type Fact, type LedgerEventType, type LocalDate, type Timestamp } from '@cadre-ledger/domain';
import type { Verdict } from '@cadre-ledger/policy';
import type { CadreProfile } from './ledger';

/**
 * The nomination dossier (API.md, "Nomination dossier"; 安康: 逐人说明适用条款): for each candidate,
 * the verdict on `asOf`, every clause that produced something in it quoted as written, the facts
 * behind each (type, date, 文号), and a one-line conclusion. Pure: built from what the ledger read.
 */

/** What a clause produced in the verdict: a lock, a priority, a review trigger, a condition, a benefit or an exclusion. */
export interface DossierEffect {
  effect: 'lock' | 'priority' | 'review-trigger' | 'condition' | 'benefit' | 'exclusion';
  kind: string;
  from: LocalDate;
  /** Exclusive; null while open-ended; absent where the rule sets no end. */
  until?: LocalDate | null;
}

/** A fact behind an entry of the verdict. */
export interface DossierFact {
  eventId: string;
  type: string;
  /** The type in Chinese (登记, 降职 …): what a printed dossier says. */
  typeZh: string;
  effectiveAt: LocalDate;
  recordedAt: Timestamp;
  /** 文号 of the decision; null when none was recorded. */
  documentRef: string | null;
}

export interface DossierClause extends Citation {
  ruleId: string;
  ruleSet: string;
  effects: DossierEffect[];
  facts: DossierFact[];
}

export interface DossierCandidate {
  cadreId: string;
  name: string;
  unitId: string;
  position: CadreProfile['position'];
  promotable: boolean;
  verdict: Verdict;
  clauses: DossierClause[];
  conclusion: string;
}

export interface Dossier {
  asOf: LocalDate;
  knownAt: Timestamp;
  purpose: string | null;
  proposedPosition: Record<string, unknown> | null;
  /** When and by whom the dossier was drawn up (its header). */
  generatedAt: Timestamp;
  generatedBy: string;
  candidates: DossierCandidate[];
}

interface Entry extends DossierEffect {
  ruleId: string;
  ruleSet: string;
  sourceEventId: string;
  citation: Citation;
}

/** Every entry of the verdict, locks first, in the verdict's own order. */
function entriesOf(verdict: Verdict): Entry[] {
  const entry = (effect: DossierEffect['effect']) => (e: { ruleId: string; ruleSet: string; kind: string; since: LocalDate; until?: LocalDate; sourceEventId: string; citation: Citation }): Entry => ({
    effect,
    kind: e.kind,
    from: e.since,
    ...(e.until === undefined ? {} : { until: e.until }),
    ruleId: e.ruleId,
    ruleSet: e.ruleSet,
    sourceEventId: e.sourceEventId,
    citation: e.citation,
  });
  return [
    ...verdict.locks.map((l): Entry => ({ effect: 'lock', kind: l.kind, from: l.from, until: l.until, ruleId: l.ruleId, ruleSet: l.ruleSet, sourceEventId: l.sourceEventId, citation: l.citation })),
    ...verdict.conditions.map(entry('condition')),
    ...verdict.reviewTriggers.map(entry('review-trigger')),
    ...verdict.priorities.map(entry('priority')),
    ...verdict.benefits.map(entry('benefit')),
    ...verdict.exclusions.map(entry('exclusion')),
  ];
}

const typeZh = (type: string): string => (ZH.eventType as Record<string, string>)[type] ?? type;

function factOf(f: Fact): DossierFact {
  return { eventId: f.metadata.eventId, type: f.type, typeZh: typeZh(f.type as LedgerEventType), effectiveAt: f.metadata.effectiveAt, recordedAt: f.metadata.recordedAt, documentRef: f.metadata.documentRef ?? null };
}

/** The clauses of a verdict, one per rule, each with what it produced and the facts behind it. */
export function dossierClauses(verdict: Verdict, facts: readonly Fact[]): DossierClause[] {
  const byId = new Map(facts.map((f) => [f.metadata.eventId, f]));
  const clauses = new Map<string, DossierClause>();
  for (const e of entriesOf(verdict)) {
    const clause = clauses.get(e.ruleId) ?? { ruleId: e.ruleId, ruleSet: e.ruleSet, ...e.citation, effects: [], facts: [] };
    clause.effects.push({ effect: e.effect, kind: e.kind, from: e.from, ...(e.until === undefined ? {} : { until: e.until }) });
    const fact = byId.get(e.sourceEventId);
    if (fact && !clause.facts.some((known) => known.eventId === e.sourceEventId)) clause.facts.push(factOf(fact));
    clauses.set(e.ruleId, clause);
  }
  for (const clause of clauses.values()) clause.facts.sort((a, b) => (a.effectiveAt < b.effectiveAt ? -1 : a.effectiveAt > b.effectiveAt ? 1 : 0));
  return [...clauses.values()];
}

/** 《document》article, as a clause is named in a sentence. */
const named = (c: Citation): string => `《${c.document}》${c.article}`;
const unique = (items: string[]): string[] => [...new Set(items)];

/**
 * One line in Chinese, what an HR officer writes under a candidate: may the cadre be nominated on
 * `asOf`, and which clause says so. It states the verdict; it does not add to it.
 */
export function dossierConclusion(name: string, verdict: Verdict): string {
  const on = `截至${verdict.asOf}`;
  if (!verdict.promotable) {
    const locks = verdict.locks.map((l) => `${lockKindZh(l.kind)}影响期(${l.until === null ? '期限未定' : `至${l.until}前`},${named(l.citation)})`);
    return `不得提拔:${name}${on}处于${unique(locks).join('、')}。`;
  }
  const parts = [`可以提名:${name}${on}无影响提拔的情形`];
  if (verdict.conditions.length > 0) parts.push(`但须符合${unique(verdict.conditions.map((c) => named(c.citation))).join('、')}规定的条件`);
  if (verdict.reviewTriggers.length > 0) parts.push(`另有${verdict.reviewTriggers.length}项待研究的调整情形(${unique(verdict.reviewTriggers.map((t) => named(t.citation))).join('、')})`);
  if (verdict.priorities.length > 0) parts.push(`符合${unique(verdict.priorities.map((p) => named(p.citation))).join('、')}的优先情形`);
  return `${parts.join(';')}。`;
}

/** One candidate of the dossier. `facts`: what the verdict was computed from (the cadre's and its units'). */
export function dossierCandidate(profile: CadreProfile, verdict: Verdict, facts: readonly Fact[]): DossierCandidate {
  return {
    cadreId: profile.cadreId,
    name: profile.name,
    unitId: profile.unitId,
    position: profile.position,
    promotable: verdict.promotable,
    verdict,
    clauses: dossierClauses(verdict, facts),
    conclusion: dossierConclusion(profile.name, verdict),
  };
}
