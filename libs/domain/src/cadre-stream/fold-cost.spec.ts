import { Map as ImmutableMap, OrderedMap, Set as ImmutableSet } from 'immutable';
import type { CadreEvent, DecidedEvent } from '../events';
import { bureauChief, event, registered, retraction } from '../testing/builders';
import { evolve, foldCadreStream, initialCadreState, type CadreState } from './state';

/**
 * Folding a stream must cost time linear in its length: a copied Map per event made 8,000 events
 * take seconds on the shared event loop. Measured by counting operations, not time: every point
 * operation on a collection (get, set, has, add, delete, push) counts one, and every operation that
 * walks a collection (iteration, filter, map, find, sort, slice, a Map built from another) counts
 * the collection's size.
 */

/** A history of `size` events of every kind that changes the fold's state, retractions included. */
function longHistory(size: number): DecidedEvent<CadreEvent>[] {
  const events: DecidedEvent<CadreEvent>[] = [registered()];
  const at = (i: number) => `20${String(16 + Math.floor(i / 4000)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 10}`;
  for (let i = 1; events.length < size; i++) {
    const id = `e-${i}`;
    const effectiveAt = at(i);
    switch (i % 10) {
      case 0:
        events.push(event('CadreTransferred', { unitId: `u-${i % 7}`, position: bureauChief }, { eventId: id, effectiveAt }));
        break;
      case 1:
        events.push(event('AnnualReviewRecorded', { year: 1000 + i, grade: 'competent' }, { eventId: id, effectiveAt }));
        break;
      case 2:
        events.push(event('InvestigationOpened', { caseId: `k-${i}` }, { eventId: id, effectiveAt }));
        break;
      case 3:
        events.push(event('InvestigationClosed', { caseId: `k-${i - 1}` }, { eventId: id, effectiveAt }));
        break;
      case 4:
        events.push(event('ToleranceRequested', { caseId: `t-${i}`, situation: 'SN-1', covers: [`e-${i - 4}`], initiatedBy: 'applicant' }, { eventId: id, effectiveAt }));
        break;
      case 5:
        events.push(event('ToleranceInvestigated', { caseId: `t-${i - 1}`, personalGain: false, knowingViolation: false, expresslyProhibited: false, summary: '核实' }, { eventId: id, effectiveAt }));
        break;
      case 6:
        events.push(retraction(id, `e-${i - 6}`, effectiveAt)); // the transfer four events back
        break;
      case 7:
        events.push(retraction(id, `e-${i - 2}`, effectiveAt)); // the latest tolerance step
        break;
      case 8:
        events.push(event('InfluencePeriodEnded', { lockId: `l-${i}`, ruleId: 'CN/JM-caution', sourceEventId: `e-${i - 1}` }, { eventId: id, effectiveAt }));
        break;
      default:
        events.push(event('CautionIssued', { reason: '工作不力' }, { eventId: id, effectiveAt }));
    }
  }
  return events;
}

type Counted = { target: object; name: string | symbol; kind: 'point' | 'walk' };

const POINT = ['get', 'set', 'has', 'add', 'delete', 'remove', 'push', 'update'];
const WALK: (string | symbol)[] = ['filter', 'map', 'forEach', 'find', 'findIndex', 'some', 'every', 'sort', 'slice', 'concat', 'indexOf', 'includes', 'reduce', 'toArray', 'values', 'keys', 'entries', Symbol.iterator];

function collectionPrototypes(): object[] {
  return [ImmutableMap(), OrderedMap(), ImmutableSet()].map((c) => Object.getPrototypeOf(c) as object).concat([Map.prototype, Set.prototype, Array.prototype]);
}

/** Runs `work` with every collection operation counted (see the file comment). */
function countOperations(work: () => void): number {
  let operations = 0;
  let inside = false;
  const restore: (() => void)[] = [];
  const targets: Counted[] = [];
  for (const target of collectionPrototypes()) {
    for (const name of [...POINT, ...WALK]) {
      if (typeof (target as Record<string | symbol, unknown>)[name] !== 'function') continue;
      if (targets.some((t) => t.target === target && t.name === name)) continue;
      targets.push({ target, name, kind: POINT.includes(name as string) ? 'point' : 'walk' });
    }
  }
  for (const { target, name, kind } of targets) {
    const record = target as Record<string | symbol, unknown>;
    const original = record[name] as (...args: unknown[]) => unknown;
    record[name] = function (this: { size?: number; length?: number }, ...args: unknown[]) {
      if (!inside) {
        inside = true;
        operations += kind === 'point' ? 1 : Math.max(1, this.size ?? this.length ?? 1);
        inside = false;
      }
      return original.apply(this, args);
    };
    restore.push(() => {
      record[name] = original;
    });
  }
  try {
    work();
  } finally {
    restore.forEach((undo) => undo());
  }
  return operations;
}

const foldWith = (step: (state: CadreState, e: DecidedEvent<CadreEvent>) => CadreState, events: DecidedEvent<CadreEvent>[]) => () => {
  let state = initialCadreState();
  for (const e of events) state = step(state, e);
};

describe('folding a cadre stream', () => {
  const small = longHistory(2_000);
  const large = longHistory(20_000);

  it('costs at most 15× the operations for 10× the events (linear, not quadratic)', () => {
    const costSmall = countOperations(foldWith(evolve, small));
    const costLarge = countOperations(foldWith(evolve, large));
    expect(costSmall).toBeGreaterThan(small.length); // the counter sees the fold's work
    expect(costLarge).toBeLessThanOrEqual(15 * costSmall);
  });

  it('would catch a fold that copies its collections per event (the counter is not blind)', () => {
    // The old shape of evolve: the same fold, plus a copy of the entries Map per event.
    const copying = (state: CadreState, e: DecidedEvent<CadreEvent>): CadreState => {
      const next = evolve(state, e);
      if (next.registered) new Map(next.entries);
      return next;
    };
    // Ten times smaller, so that the quadratic fold stays quick: the ratio is what counts.
    const costSmall = countOperations(foldWith(copying, longHistory(200)));
    const costLarge = countOperations(foldWith(copying, small));
    expect(costLarge).toBeGreaterThan(15 * costSmall);
    expect(countOperations(foldWith(evolve, small))).toBeLessThanOrEqual(15 * countOperations(foldWith(evolve, longHistory(200))));
  });

  it('folds from scratch with transient collections to exactly the state evolve builds step by step', () => {
    for (const events of [small, longHistory(3_001), [registered()], []]) {
      const stepwise = events.reduce(evolve, initialCadreState());
      const folded = foldCadreStream(events);
      expect(JSON.stringify(folded)).toEqual(JSON.stringify(stepwise));
      if (folded.registered && stepwise.registered) {
        expect(folded.entries.toJS()).toEqual(stepwise.entries.toJS());
        expect([...folded.placements.values()]).toEqual([...stepwise.placements.values()]);
        // frozen again: a later evolve never changes the folded state
        const before = folded.entries.size;
        evolve(folded, event('CautionIssued', { reason: '再次' }, { eventId: 'e-after', effectiveAt: '2020-01-01' }));
        expect(folded.entries.size).toBe(before);
      }
    }
  });

  it('folds the long history to the state the events describe', () => {
    let state = initialCadreState();
    for (const e of large) state = evolve(state, e);
    if (!state.registered) throw new Error('registered first');
    expect(state.length).toBe(large.length);
    const retracted = new Set(large.flatMap((e) => (e.type === 'EntryRetracted' ? [e.data.eventId] : [])));
    const postings = large.filter((e) => (e.type === 'CadreRegistered' || e.type === 'CadreTransferred') && !retracted.has(e.metadata.eventId));
    expect([...state.placements.values()].map((p) => p.eventId)).toEqual(postings.map((e) => e.metadata.eventId));
    const cases = [...state.toleranceCases.values()];
    expect(cases.every((c) => c.steps.length === 1 && c.steps[0].step === 'requested')).toBe(true);
  });
});
