import { cadreStream, instantKey, unitStream, unitsSatIn, type Fact, type Timestamp } from '@cadre-ledger/domain';
import type { EventStore } from '@cadre-ledger/event-store';
import { toFact } from './facts';
import type { StreamCache } from './stream-cache';

/**
 * What `evaluate` needs about one cadre: its own stream and the facts of every unit it sat in (the
 * policy engine picks those that apply by date), as recorded by `knownAt` when given.
 */
export async function loadCadreHistory(store: EventStore, cadreId: string, knownAt?: Timestamp): Promise<Fact[]> {
  const own = (await store.readStream(cadreStream(cadreId), knownAt ? { knownAt } : {})).map(toFact);
  return [...own, ...(await unitFactsFor(store, own, knownAt))];
}

/**
 * The unit facts (registration, assessments, findings) of every unit named by these facts'
 * registrations and transfers, and the registrations of those units' parents (a department's level
 * is its parent's): `unitHistory` over streams read from the store.
 */
export async function unitFactsFor(store: EventStore, facts: readonly Fact[], knownAt?: Timestamp): Promise<Fact[]> {
  return unitFactsThrough((streams) => Promise.all(streams.map(async (stream) => ({ facts: (await store.readStream(stream, knownAt ? { knownAt } : {})).map(toFact) }))), facts);
}

/**
 * `unitHistory` of these cadre facts, the streams read with `read` (the store, a cache, an
 * import's views): the units the cadre sat in, then the parents of those units.
 */
export async function unitFactsThrough(read: (streams: readonly string[]) => Promise<readonly { facts: readonly Fact[] }[]>, facts: readonly Fact[]): Promise<Fact[]> {
  const readUnits = async (unitIds: readonly string[]) => {
    const snapshots = unitIds.length === 0 ? [] : await read(unitIds.map(unitStream));
    return new Map(unitIds.map((unitId, index) => [unitId, snapshots[index].facts]));
  };
  const units = await readUnits(unitsSatIn(facts));
  return unitHistory(units, await readUnits(parentsOf(units)));
}

/** The parents of these units that are not among them (a department's level is its parent's). */
export function parentsOf(units: ReadonlyMap<string, readonly Fact[]>): string[] {
  const parents = new Set<string>();
  for (const facts of units.values()) {
    for (const f of facts) if (f.type === 'UnitRegistered' && f.data.parentUnitId !== undefined && !units.has(f.data.parentUnitId)) parents.add(f.data.parentUnitId);
  }
  return [...parents];
}

/**
 * Unit bookkeeping no rule reads: a unit's assessed headcount and the quota places its reviews
 * claimed and gave back. A busy unit holds one claim per excellent grade a year; a verdict reads
 * none of them (a test holds the rule book to that), so they stay out of every verdict's history.
 */
export const NOT_READ_BY_RULES: ReadonlySet<string> = new Set(['UnitQuotaSet', 'ExcellenceQuotaClaimed', 'ExcellenceQuotaReleased']);

/** The unit facts of a verdict's history: each unit's facts but its quota bookkeeping, and each parent's registration. */
export function unitHistory(units: ReadonlyMap<string, readonly Fact[]>, parents: ReadonlyMap<string, readonly Fact[]>): Fact[] {
  const history: Fact[] = [];
  for (const facts of units.values()) for (const f of facts) if (!NOT_READ_BY_RULES.has(f.type)) history.push(f);
  for (const facts of parents.values()) for (const f of facts) if (f.type === 'UnitRegistered') history.push(f);
  return history;
}

/** The facts recorded by `knownAt` (all of them without it): what a read as of `knownAt` returns. */
export function recordedBy(facts: readonly Fact[], knownAt: Timestamp | undefined): readonly Fact[] {
  if (knownAt === undefined) return facts;
  const limit = instantKey(knownAt);
  return facts.filter((f) => instantKey(f.metadata.recordedAt) <= limit);
}

/**
 * The latest `recordedAt` of a history (or `fallback` for an empty one), compared as instants.
 * Judging "as known at" this instant takes everything that was read, whatever the precision or
 * skew of this process's clock against the store's: a fact stored a microsecond ago still counts.
 */
export function latestRecordedAt(history: readonly Fact[], fallback: Timestamp): Timestamp {
  let latest = fallback;
  for (const f of history) if (instantKey(f.metadata.recordedAt) > instantKey(latest)) latest = f.metadata.recordedAt;
  return latest;
}

/**
 * What `evaluate` needs about each of these cadres (as `loadCadreHistory`), read together: their
 * streams in one round trip, then the units they sat in, then those units' parents, through the
 * cache (only what was appended since it last read them is fetched).
 */
export async function loadCadreHistories(cache: StreamCache, cadreIds: readonly string[]): Promise<Map<string, Fact[]>> {
  const own = await cache.read(cadreIds.map(cadreStream));
  const unitFacts = new Map<string, readonly Fact[]>();
  const readUnits = async (unitIds: Iterable<string>) => {
    const missing = [...new Set(unitIds)].filter((u) => !unitFacts.has(u));
    if (missing.length === 0) return;
    const snapshots = await cache.read(missing.map(unitStream));
    missing.forEach((unitId, index) => unitFacts.set(unitId, snapshots[index].facts));
  };
  const unitsByCadre = own.map((snapshot) => unitsSatIn(snapshot.facts));
  await readUnits(unitsByCadre.flat());
  const unitsOfCadre = unitsByCadre.map((units) => new Map(units.map((u) => [u, unitFacts.get(u)!])));
  const parentsByCadre = unitsOfCadre.map((units) => parentsOf(units));
  await readUnits(parentsByCadre.flat());
  const histories = new Map<string, Fact[]>();
  cadreIds.forEach((cadreId, index) => {
    const parents = new Map(parentsByCadre[index].map((u) => [u, unitFacts.get(u)!]));
    histories.set(cadreId, [...own[index].facts, ...unitHistory(unitsOfCadre[index], parents)]);
  });
  return histories;
}
