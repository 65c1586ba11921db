import { toFact } from './facts';
import { parentsOf, unitHistory } from './history';
import { cadreStream, compareText, unitStream, unitsSatIn, type Citation, type LocalDate, type Timestamp } from '@cadre-ledger/domain';
import type { EventStore, StoredEvent } from '@cadre-ledger/event-store';
import { explain, type RuleBook, type Verdict, type VerdictEntry, type VerdictLock } from '@cadre-ledger/policy';

/** One effect a fact produced, held or ended by `asOf`. */
export interface TimelineEffect {
  effect: 'lock' | 'priority' | 'review-trigger' | 'condition' | 'benefit';
  kind: string;
  ruleId: string;
  ruleSet: string;
  from: LocalDate;
  /** Exclusive; null while open-ended; absent where the rule sets no end. */
  until?: LocalDate | null;
  /** Whether it still holds on `asOf`. */
  holds: boolean;
  citation: Citation;
}

export interface TimelineEntry {
  stream: string;
  revision: number;
  eventId: string;
  type: string;
  effectiveAt: LocalDate;
  recordedAt: Timestamp;
  actor: string;
  documentRef: string | null;
  data: Record<string, unknown>;
  effects: TimelineEffect[];
  /** A later tolerance decision, clearance or retraction that took this fact's effects away. */
  neutralisedBy?: { eventId: string; outcome: string };
}

export interface Replay {
  cadreId: string;
  asOf: LocalDate;
  knownAt: Timestamp;
  timeline: TimelineEntry[];
  /** Facts known by `knownAt` but effective after `asOf`: not part of this replay. */
  laterFacts: number;
  verdict: Verdict;
}

/**
 * A cadre's history as recorded by `knownAt`, each fact beside what the policy engine says it
 * produced, and the verdict on `asOf`: straight from the event store, no read model involved. The
 * unit assessments of the cadre's units join the timeline when they produced something for it.
 */
export async function replayCadre(store: EventStore, ruleBook: RuleBook, cadreId: string, at: { asOf: LocalDate; knownAt: Timestamp }): Promise<Replay | null> {
  const own = await store.readStream(cadreStream(cadreId), { knownAt: at.knownAt });
  if (!own.some((e) => e.type === 'CadreRegistered')) return null;
  // The unit facts a verdict reads, as the Ledger reads them (unitHistory): the cadre's units, and
  // the registration of their parents (a department's level is its parent's).
  const ownFacts = own.map(toFact);
  const stored = new Map<string, StoredEvent>();
  const readUnits = async (unitIds: readonly string[]) =>
    new Map(
      await Promise.all(
        unitIds.map(async (u) => {
          const events = await store.readStream(unitStream(u), { knownAt: at.knownAt });
          for (const e of events) stored.set(e.eventId, e);
          return [u, events.map(toFact)] as const;
        }),
      ),
    );
  const units = await readUnits(unitsSatIn(ownFacts));
  const unitFacts = unitHistory(units, await readUnits(parentsOf(units)));
  const unitEvents = unitFacts.map((f) => stored.get(f.metadata.eventId)!);
  const { verdict, effects } = explain(ruleBook, [...ownFacts, ...unitFacts], at);

  const bySource = new Map<string, TimelineEffect[]>();
  const add = (sourceEventId: string, effect: TimelineEffect) => bySource.set(sourceEventId, [...(bySource.get(sourceEventId) ?? []), effect]);
  for (const lock of effects.locks) add(lock.sourceEventId, fromLock(lock, at.asOf));
  const entries: [TimelineEffect['effect'], VerdictEntry[]][] = [
    ['priority', effects.priorities],
    ['review-trigger', effects.reviewTriggers],
    ['condition', effects.conditions],
    ['benefit', effects.benefits],
  ];
  for (const [effect, list] of entries) for (const entry of list) add(entry.sourceEventId, fromEntry(effect, entry, at.asOf));
  const neutralised = new Map<string, { eventId: string; outcome: string }>(verdict.neutralised.map((n) => [n.sourceEventId, { eventId: n.byEventId, outcome: n.outcome }]));
  for (const e of own) if (e.type === 'EntryRetracted') neutralised.set(String(e.data.eventId), { eventId: e.eventId, outcome: 'retracted' });

  // A unit's assessments concern many cadres: only those that did something for this one are shown.
  const inScope = (e: StoredEvent) => e.effectiveAt <= at.asOf && (e.stream === own[0].stream || bySource.has(e.eventId));
  const known = [...own, ...unitEvents];
  const timeline = known
    .filter(inScope)
    .sort((a, b) => compareText(a.effectiveAt, b.effectiveAt) || compareText(a.recordedAt, b.recordedAt) || a.revision - b.revision)
    .map((e) => toEntry(e, bySource.get(e.eventId) ?? [], neutralised.get(e.eventId)));
  const laterFacts = own.filter((e) => e.effectiveAt > at.asOf).length;
  return { cadreId, asOf: at.asOf, knownAt: at.knownAt, timeline, laterFacts, verdict };
}

function toEntry(e: StoredEvent, effects: TimelineEffect[], neutralisedBy?: { eventId: string; outcome: string }): TimelineEntry {
  const entry: TimelineEntry = {
    stream: e.stream,
    revision: e.revision,
    eventId: e.eventId,
    type: e.type,
    effectiveAt: e.effectiveAt,
    recordedAt: e.recordedAt,
    actor: e.actor,
    documentRef: e.documentRef,
    data: e.data,
    effects,
  };
  if (neutralisedBy) entry.neutralisedBy = neutralisedBy;
  return entry;
}

function fromLock(lock: VerdictLock, asOf: LocalDate): TimelineEffect {
  return {
    effect: 'lock',
    kind: lock.kind,
    ruleId: lock.ruleId,
    ruleSet: lock.ruleSet,
    from: lock.from,
    until: lock.until,
    holds: lock.from <= asOf && (lock.until === null || asOf < lock.until),
    citation: lock.citation,
  };
}

function fromEntry(effect: TimelineEffect['effect'], entry: VerdictEntry, asOf: LocalDate): TimelineEffect {
  const result: TimelineEffect = {
    effect,
    kind: entry.kind,
    ruleId: entry.ruleId,
    ruleSet: entry.ruleSet,
    from: entry.since,
    holds: entry.since <= asOf && (entry.until === undefined || asOf < entry.until),
    citation: entry.citation,
  };
  if (entry.until !== undefined) result.until = entry.until;
  return result;
}
