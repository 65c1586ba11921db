import {
  compareText,
  instantKey,
  type AnnualReviewRecorded,
  type CadreRegistered,
  type Fact,
  type LocalDate,
  type ToleranceDecided,
  type ToleranceRequested,
  type MitigatedTo,
  type UnitAssessmentRecorded,
  type AllegationCleared,
  type UnitRegistered,
} from '@cadre-ledger/domain';
import { inForceOn, type RuleBook } from '../rule-book';
import type { NeutralisedFact } from '../verdict';

/** A fact judged as the lighter measure of a `mitigated` decision (容错纠错办法 第九条(五)). */
export interface Mitigation {
  byEventId: string;
  ruleId: string;
  /** Rules the relief rule switches off for this fact (陕西: the conditions after its lock). */
  overrides: readonly string[];
}

export interface History {
  registration: Fact<CadreRegistered> | null;
  /** Visible, unretracted, in effect by `asOf`, neutralised, in (effectiveAt, recordedAt, revision) order. */
  facts: Fact[];
  mitigations: Map<string, Mitigation>;
  neutralised: NeutralisedFact[];
  /** Registered units as recorded by `knownAt`, whatever their registration's date: a level is not a decision that takes effect. */
  units: Map<string, UnitRegistered['data']>;
}

type Keyed = { fact: Fact; recorded: string; index: number };

/**
 * Cuts the history down to what the verdict may see: facts recorded by `knownAt` (both time axes
 * are kept apart: a retraction counts from when it was recorded, whatever `asOf` is asked), then
 * facts in effect by `asOf`, then applies tolerance decisions and clearances to the facts they cover.
 */
export function prepareHistory(history: readonly Fact[], asOf: LocalDate, knownAt: string, ruleBook: RuleBook): History {
  const knownKey = instantKey(knownAt);
  const visible: Keyed[] = [];
  history.forEach((fact, index) => {
    const recorded = instantKey(fact.metadata.recordedAt);
    if (recorded <= knownKey) visible.push({ fact, recorded, index });
  });
  const retracted = new Set(
    visible.flatMap(({ fact }) => (fact.type === 'EntryRetracted' ? [fact.data.eventId] : [])),
  );
  const live = visible.filter(({ fact }) => !retracted.has(fact.metadata.eventId) && fact.type !== 'EntryRetracted');
  const registration = (live.find(({ fact }) => fact.type === 'CadreRegistered')?.fact ?? null) as Fact<CadreRegistered> | null;

  const inEffect = live
    .filter(({ fact }) => fact.metadata.effectiveAt <= asOf)
    .sort(
      (a, b) =>
        compareText(a.fact.metadata.effectiveAt, b.fact.metadata.effectiveAt) ||
        compareText(a.recorded, b.recorded) ||
        (a.fact.metadata.revision ?? a.index) - (b.fact.metadata.revision ?? b.index),
    )
    .map(({ fact }) => fact);

  const units = new Map<string, UnitRegistered['data']>();
  for (const { fact } of live) if (fact.type === 'UnitRegistered' && !units.has(fact.data.unitId)) units.set(fact.data.unitId, fact.data);
  return { registration, units, ...neutralise(inEffect, registration?.data.jurisdiction ?? null, ruleBook) };
}

/** Exempted and cleared facts lose every effect; mitigated ones are judged as `mitigatedTo`. */
function neutralise(facts: Fact[], jurisdiction: string | null, ruleBook: RuleBook) {
  const requests = new Map<string, Fact<ToleranceRequested>>();
  const removed = new Map<string, NeutralisedFact>();
  const lightened = new Map<string, { decision: Fact<ToleranceDecided>; mitigation: Mitigation }>();
  for (const fact of facts) {
    if (fact.type === 'ToleranceRequested') requests.set(fact.data.caseId, fact);
    if (fact.type === 'AllegationCleared') {
      for (const id of (fact as Fact<AllegationCleared>).data.covers) {
        removed.set(id, { sourceEventId: id, byEventId: fact.metadata.eventId, outcome: 'cleared' });
      }
    }
    if (fact.type !== 'ToleranceDecided' || fact.data.outcome === 'rejected' || jurisdiction === null) continue;
    const request = requests.get(fact.data.caseId);
    const relief = reliefRule(ruleBook, jurisdiction, fact.metadata.effectiveAt, fact.data.outcome);
    if (!request || !relief) continue;
    for (const id of request.data.covers) {
      if (fact.data.outcome === 'exempted') {
        removed.set(id, { sourceEventId: id, byEventId: fact.metadata.eventId, outcome: 'exempted', ruleId: relief.id });
      } else {
        lightened.set(id, {
          decision: fact as Fact<ToleranceDecided>,
          mitigation: { byEventId: fact.metadata.eventId, ruleId: relief.id, overrides: relief.overrides },
        });
      }
    }
  }
  const mitigations = new Map<string, Mitigation>();
  const neutralised: NeutralisedFact[] = [...removed.values()];
  const result: Fact[] = [];
  for (const fact of facts) {
    const id = fact.metadata.eventId;
    if (removed.has(id)) continue;
    const light = lightened.get(id);
    if (!light || !light.decision.data.mitigatedTo) {
      result.push(fact);
      continue;
    }
    result.push(judgedAs(fact, light.decision.data.mitigatedTo));
    mitigations.set(id, light.mitigation);
    neutralised.push({ sourceEventId: id, byEventId: light.mitigation.byEventId, outcome: 'mitigated', ruleId: light.mitigation.ruleId });
  }
  neutralised.sort((a, b) => compareText(a.sourceEventId, b.sourceEventId));
  return { facts: result, mitigations, neutralised };
}

/**
 * The covered fact as the lighter measure it is judged as, keeping its kind where the measure is
 * of the same kind: a mitigated adjustment stays an adjustment (its posting stands), a sanction
 * becomes the lighter sanction, an organizational measure or a caution. `mitigatedFrom` tells the
 * evaluation that a synthetic adjustment made no posting of its own.
 */
function judgedAs(fact: Fact, to: MitigatedTo): Fact {
  const metadata = { ...fact.metadata, mitigatedFrom: fact.type };
  // The lighter measure is the same measure, taken by the same level.
  const takenBy = (fact.type === 'CadreAdjusted' || fact.type === 'SanctionImposed') && fact.data.measureTakenBy ? { measureTakenBy: fact.data.measureTakenBy } : {};
  switch (to.system) {
    case 'caution':
      return { type: 'CautionIssued', data: { reason: '减责' }, metadata } as Fact;
    case 'organizational': {
      const newPosition = fact.type === 'CadreAdjusted' ? fact.data.newPosition : undefined;
      return { type: 'CadreAdjusted', data: { kind: to.kind, ...(newPosition ? { newPosition } : {}), ...takenBy }, metadata } as Fact;
    }
    default:
      return { type: 'SanctionImposed', data: { system: to.system, kind: to.kind, ...(to.probationMonths ? { probationMonths: to.probationMonths } : {}), ...takenBy }, metadata } as Fact;
  }
}

/** The most specific relief rule in force on the decision's date for this outcome. */
function reliefRule(ruleBook: RuleBook, jurisdiction: string, on: LocalDate, outcome: 'exempted' | 'mitigated') {
  for (const version of ruleBook.versionsInForce(jurisdiction, on)) {
    for (const rule of version.rules) {
      if (rule.effect.kind === 'tolerance-relief' && rule.effect.outcomes.includes(outcome) && inForceOn(rule, on)) {
        return { id: rule.id, overrides: rule.overrides };
      }
    }
  }
  return null;
}

export type ReviewFact = Fact<AnnualReviewRecorded>;
export type UnitAssessmentFact = Fact<UnitAssessmentRecorded>;
