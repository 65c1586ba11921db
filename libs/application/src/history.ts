import { cadreStream, instantKey, unitStream, type Fact, type Timestamp } from '@cadre-ledger/domain';
import type { EventStore } from '@cadre-ledger/event-store';
import { toFact } from './facts';

/**
 * What `evaluate` needs about one cadre: its own stream and the assessments of every unit it sat
 * in (the policy engine picks those that apply by date), as recorded by `knownAt` when given.
 */
export async function loadCadreHistory(store: EventStore, cadreId: string, knownAt?: Timestamp): Promise<Fact[]> {
  const own = (await store.readStream(cadreStream(cadreId), knownAt ? { knownAt } : {})).map(toFact);
  return [...own, ...(await unitFactsFor(store, own, knownAt))];
}

/**
 * The unit facts (registration, assessments, findings) of every unit named by these facts'
 * registrations, transfers and promotions, and the registrations of those units' parents (a
 * department's level is its parent's).
 */
export async function unitFactsFor(store: EventStore, facts: readonly Fact[], knownAt?: Timestamp): Promise<Fact[]> {
  const units = new Set<string>();
  for (const f of facts) if (f.type === 'CadreRegistered' || f.type === 'CadreTransferred') units.add(f.data.unitId);
  const read = (u: string) => store.readStream(unitStream(u), knownAt ? { knownAt } : {});
  const own = (await Promise.all([...units].map(read))).flat().map(toFact);
  const parents = new Set<string>();
  for (const f of own) if (f.type === 'UnitRegistered' && f.data.parentUnitId !== undefined && !units.has(f.data.parentUnitId)) parents.add(f.data.parentUnitId);
  const parentRegistrations = (await Promise.all([...parents].map(read))).flat().map(toFact).filter((f) => f.type === 'UnitRegistered');
  return [...own, ...parentRegistrations];
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
