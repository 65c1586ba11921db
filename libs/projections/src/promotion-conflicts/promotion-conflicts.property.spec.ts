import fc from 'fast-check';
import { instantKey, type Fact } from '@cadre-ledger/domain';
import { evaluate } from '@cadre-ledger/policy';
import { cadreHistory } from '@cadre-ledger/policy/testing/arbitraries';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { cadreRows } from '../cadre-rows';

const ruleBook = readRuleBook();
const TODAY = '2028-01-01';
const DAY = 86_400_000;
const LAST_DAY = Date.UTC(2026, 10, 22);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const instant = (ms: number) => new Date(ms + 777).toISOString().replace('Z', '321Z');

/**
 * A generated history with promotions dropped near its other facts (so that many fall inside their
 * locks), each recorded some time after its date (before or after the fact behind the lock was
 * recorded), some of them retracted later: the cases the audit is about are common, not rare.
 */
const conflictHistory = fc
  .record({
    base: cadreHistory,
    promotions: fc.array(
      fc.record({
        near: fc.nat(),
        offsetDays: fc.integer({ min: 0, max: 400 }),
        delayDays: fc.integer({ min: 0, max: 1500 }),
        /** A sanction or caution of its own, so many promotions meet a lock: its kind, and when it was recorded after its date. */
        lock: fc.option(fc.record({ kind: fc.constantFrom('warning', 'serious-warning', 'caution', 'demerit'), delayDays: fc.integer({ min: 0, max: 1500 }) }), { freq: 3, nil: undefined }),
        retractAfterDays: fc.option(fc.integer({ min: 0, max: 900 }), { freq: 3, nil: undefined }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .map(({ base, promotions }) => {
    const history = [...base.history];
    promotions.forEach((p, i) => {
      const near = base.history[p.near % base.history.length];
      const lockMs = Math.min(Date.parse(`${near.metadata.effectiveAt}T00:00:00Z`), LAST_DAY);
      const effectiveMs = Math.min(lockMs + p.offsetDays * DAY, LAST_DAY);
      const eventId = `promotion-${i}`;
      if (p.lock) {
        const body = p.lock.kind === 'caution' ? { type: 'CautionIssued', data: { reason: '诫勉' } } : { type: 'SanctionImposed', data: p.lock.kind === 'demerit' ? { system: 'administrative', kind: 'demerit' } : { system: 'party', kind: p.lock.kind } };
        history.push({ ...body, metadata: { eventId: `lock-${i}`, effectiveAt: day(lockMs), recordedAt: instant(lockMs + p.lock.delayDays * DAY), actor: 'property' } } as Fact);
      }
      const recordedMs = effectiveMs + p.delayDays * DAY;
      history.push({ type: 'CadrePromoted', data: { newPosition: { title: '局长', level: 'county-chief', leadership: true, principal: true } }, metadata: { eventId, effectiveAt: day(effectiveMs), recordedAt: instant(recordedMs), actor: 'property' } } as Fact);
      if (p.retractAfterDays !== undefined) {
        const at = recordedMs + p.retractAfterDays * DAY;
        history.push({ type: 'EntryRetracted', data: { eventId, reason: '录入错误' }, metadata: { eventId: `retraction-${i}`, effectiveAt: day(at), recordedAt: instant(at + 1000), actor: 'property' } } as Fact);
      }
    });
    return history;
  });

/** One microsecond after an instant, in the ledger's format (the detector appends right after what it reacts to). */
const justAfter = (instant: string, n: number) => {
  const [whole, micros] = instantKey(instant).replace('Z', '').split('.');
  const next = Number(micros ?? '0') + n;
  return `${whole}.${String(next).padStart(6, '0').slice(-6)}Z`;
};

/**
 * The facts of a generated history arriving one by one in the order they were recorded (so a
 * backdated sanction arrives after the promotion it catches), the projector and the conflict
 * detector running after each: what the detector appended must end as the pairs that hold by
 * evaluating every promotion's date against the whole history, and each pair's `knownAtPromotion`
 * as the history recorded by the promotion's own recording says.
 */
function arrive(history: readonly Fact[]): { stream: Fact[]; rows: NonNullable<ReturnType<typeof cadreRows>> } {
  const arrival = [...history].sort((a, b) => (instantKey(a.metadata.recordedAt) < instantKey(b.metadata.recordedAt) ? -1 : instantKey(a.metadata.recordedAt) > instantKey(b.metadata.recordedAt) ? 1 : 0));
  const stream: Fact[] = [];
  const append = (fact: Fact) => stream.push({ ...fact, metadata: { ...fact.metadata, revision: stream.length } } as Fact);
  let rows = null as ReturnType<typeof cadreRows>;
  for (const fact of arrival) {
    append(fact);
    rows = cadreRows(ruleBook, stream, TODAY);
    if (!rows) continue;
    let n = 1;
    for (const c of rows.conflictChanges.detect) {
      const data = { promotionEventId: c.promotionEventId, lockId: c.lock.lockId, ruleId: c.lock.ruleId, sourceEventId: c.lock.sourceEventId, promotedOn: c.promotedOn, occurrence: c.occurrence };
      append({ type: 'ConflictDetected', data, metadata: { eventId: `d-${stream.length}`, effectiveAt: TODAY, recordedAt: justAfter(fact.metadata.recordedAt, n++), actor: 'ledger-conflicts' } } as Fact);
    }
    for (const r of rows.conflictChanges.resolve) {
      append({ type: 'ConflictResolved', data: r, metadata: { eventId: `r-${stream.length}`, effectiveAt: TODAY, recordedAt: justAfter(fact.metadata.recordedAt, n++), actor: 'ledger-conflicts' } } as Fact);
    }
  }
  rows = cadreRows(ruleBook, stream, TODAY);
  return { stream, rows: rows! };
}

/** The pairs each (promotion, lock) by brute force: every promotion not retracted, every lock the whole history holds on its date. */
function bruteForce(history: readonly Fact[]): { key: string; knownAtPromotion: boolean }[] {
  const knownAt = [...history].map((f) => f.metadata.recordedAt).sort((a, b) => (instantKey(a) < instantKey(b) ? -1 : 1)).pop()!;
  const retracted = new Set(history.flatMap((f) => (f.type === 'EntryRetracted' ? [f.data.eventId] : [])));
  return history
    .filter((f) => f.type === 'CadrePromoted' && !retracted.has(f.metadata.eventId))
    .flatMap((p) => {
      const then = evaluate(ruleBook, history, { asOf: p.metadata.effectiveAt, knownAt: p.metadata.recordedAt }).locks.map((l) => l.lockId);
      return evaluate(ruleBook, history, { asOf: p.metadata.effectiveAt, knownAt }).locks.map((l) => ({ key: `${p.metadata.eventId} ${l.lockId}`, knownAtPromotion: then.includes(l.lockId) }));
    })
    .sort((a, b) => (a.key < b.key ? -1 : 1));
}

describe('the 选人用人 audit (properties over generated histories)', () => {
  const seen = { histories: 0, pairs: 0, foundLater: 0, resolved: 0 };
  it('ends with the detector\'s open pairs equal to every promotion evaluated against the whole history, and knownAtPromotion as the history then said', () => {
    fc.assert(
      fc.property(conflictHistory, (history) => {
        const { stream, rows } = arrive(history);
        const expected = bruteForce(history);
        seen.histories += 1;
        seen.pairs += expected.length;
        seen.foundLater += expected.filter((e) => !e.knownAtPromotion).length;
        seen.resolved += stream.filter((f) => f.type === 'ConflictResolved').length;
        // The rows (what GET /v1/audit/conflicts lists).
        expect(rows.conflicts.map((c) => ({ key: `${c.promotionEventId} ${c.lockId}`, knownAtPromotion: c.knownAtPromotion })).sort((a, b) => (a.key < b.key ? -1 : 1))).toEqual(expected);
        // The stream's record: open exactly for the pairs that hold, and nothing left for the detector to do.
        const open = new Map<string, boolean>();
        for (const f of stream) {
          if (f.type === 'ConflictDetected') open.set(`${f.data.promotionEventId} ${f.data.lockId}`, true);
          if (f.type === 'ConflictResolved') open.set(`${f.data.promotionEventId} ${f.data.lockId}`, false);
        }
        expect([...open].filter(([, isOpen]) => isOpen).map(([key]) => key).sort()).toEqual(expected.map((e) => e.key));
        expect(rows.conflictChanges).toEqual({ detect: [], resolve: [] });
      }),
      { numRuns: 150 },
    );
    // The generator does what it is for: pairs, retroactive ones, and pairs that went away.
    expect(seen.pairs).toBeGreaterThan(seen.histories / 4);
    expect(seen.foundLater).toBeGreaterThan(0);
    expect(seen.resolved).toBeGreaterThan(0);
  });
});
