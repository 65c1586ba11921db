import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { Ledger } from '@cadre-ledger/application';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { runMigrations, waitUntil } from '@cadre-ledger/platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { Projector } from './projector';
import { InvalidCursor, listEligibility, mechanismStats } from './queries';
import { READ_MODEL_MIGRATIONS_NAMESPACE, readModelMigrations } from './schema';

const ruleBook = readRuleBook();
const TODAY = '2026-11-22';
const post = { title: '副主任', level: 'county-deputy', leadership: true, principal: false } as const;
const actor = { actor: 'org-陕西' };

let db: TestDatabase;
let store: PostgresEventStore;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase('queries');
  store = await PostgresEventStore.open({ connectionString: db.url });
  pool = new Pool({ connectionString: db.url, max: 4 });
  await runMigrations(pool, READ_MODEL_MIGRATIONS_NAMESPACE, readModelMigrations);
  const ledger = new Ledger({ store, ruleBook, now: () => new Date(), newEventId: randomUUID });
  const units = { a1: 'unit-a', a2: 'unit-a', a3: 'unit-a', b1: 'unit-b' } as const;
  for (const [cadreId, unitId] of Object.entries(units)) {
    await ledger.executeCadreCommand(cadreId, {
      type: 'RegisterCadre',
      data: { cadreId, name: '孙明', unitId, jurisdiction: 'CN-SN', position: post, effectiveAt: '2020-01-01' },
      metadata: actor,
    });
  }
  await ledger.executeCadreCommand('a2', { type: 'AdjustCadre', data: { kind: 'demotion', newPosition: post, effectiveAt: '2026-03-01' }, metadata: actor });
  // a1: a 领导班子研判 finding (第七条) stands as a review trigger; a 第十五条 case on it is pending.
  await ledger.executeCadreCommand('a1', { type: 'RecordCadreFinding', data: { category: 'leadership-review', kind: 'low-satisfaction', effectiveAt: '2026-06-01' }, metadata: actor });
  await ledger.executeCadreCommand('a1', { type: 'ReportAdjustment', data: { caseId: 'ad-1', triggers: ['CN-SN/NSX-7-low-satisfaction'], report: { proposedKind: 'transfer-out' }, effectiveAt: '2026-07-01' }, metadata: actor });
  await ledger.executeCadreCommand('a3', { type: 'IssueCommendation', data: { level: 'provincial', kind: 'citation', title: '嘉奖', effectiveAt: '2026-05-01' }, metadata: actor });
  await ledger.executeCadreCommand('b1', { type: 'IssueCaution', data: { reason: '失职', effectiveAt: '2026-09-01' }, metadata: actor });
  const caution = (await store.readStream('cadre-b1'))[1].eventId;
  await ledger.executeCadreCommand('b1', {
    type: 'RequestTolerance',
    data: { caseId: 'RC-9', situation: 'SN-2', covers: [caution], initiatedBy: 'applicant', effectiveAt: '2026-09-10' },
    metadata: actor,
  });
  const projector = new Projector({ pool, store, ruleBook, today: () => TODAY });
  await waitUntil(async () => {
    await projector.catchUp();
    return (await pool.query('SELECT 1 FROM tolerance_cases')).rowCount;
  }, { timeoutMs: 30_000, description: 'the read models to catch up' });
});

afterAll(async () => {
  await pool.end();
  await store.close();
  await db.drop();
});

describe('read-model queries', () => {
  it('pages through today’s verdicts in cadre order, within the caller’s units', async () => {
    const first = await listEligibility(pool, { scope: ['unit-a'], limit: 2 });
    expect(first.items.map((v) => [v.cadreId, v.unitId, v.promotable])).toEqual([['a1', 'unit-a', true], ['a2', 'unit-a', false]]);
    expect(first.nextCursor).not.toBeNull();
    const second = await listEligibility(pool, { scope: ['unit-a'], limit: 2, cursor: first.nextCursor as string });
    expect(second.items.map((v) => v.cadreId)).toEqual(['a3']);
    expect(second.nextCursor).toBeNull();
    expect(second.items[0]).toMatchObject({ asOf: TODAY, priorities: [expect.objectContaining({ ruleId: 'CN-SN/JL-7-4' })] });
  });

  it('filters by unit and promotability, and sees every unit with scope *', async () => {
    const locked = await listEligibility(pool, { scope: '*', promotable: false, limit: 10 });
    expect(locked.items.map((v) => v.cadreId)).toEqual(['a2', 'b1']);
    const unitB = await listEligibility(pool, { scope: '*', unitId: 'unit-b', limit: 10 });
    expect(unitB.items.map((v) => v.cadreId)).toEqual(['b1']);
    const outside = await listEligibility(pool, { scope: ['unit-a'], unitId: 'unit-b', limit: 10 });
    expect(outside.items).toEqual([]);
  });

  it('refuses a cursor it did not issue', async () => {
    await expect(listEligibility(pool, { scope: '*', limit: 1, cursor: 'bm90LW91cnM' })).rejects.toBeInstanceOf(InvalidCursor);
  });

  it('counts persons per mechanism, active locks, pending tolerance and adjustment cases, and standing review triggers', async () => {
    expect(await mechanismStats(pool, { year: 2026, scope: '*', today: TODAY })).toEqual({
      year: 2026, incentive: 1, tolerance: 0, adjustment: 1, locksActive: 2, pendingToleranceCases: 1, openReviewTriggers: 1, pendingAdjustmentCases: 1,
    });
    expect(await mechanismStats(pool, { year: 2026, scope: ['unit-a'], today: TODAY })).toEqual({
      year: 2026, incentive: 1, tolerance: 0, adjustment: 1, locksActive: 1, pendingToleranceCases: 0, openReviewTriggers: 1, pendingAdjustmentCases: 1,
    });
    expect(await mechanismStats(pool, { year: 2025, scope: '*', unitId: 'unit-b', today: TODAY })).toEqual({
      year: 2025, incentive: 0, tolerance: 0, adjustment: 0, locksActive: 1, pendingToleranceCases: 1, openReviewTriggers: 0, pendingAdjustmentCases: 0,
    });
    const { rows } = await pool.query('SELECT cadre_id, case_id, step, triggers, approved FROM adjustment_cases');
    expect(rows).toEqual([{ cadre_id: 'a1', case_id: 'ad-1', step: 'reported', triggers: ['CN-SN/NSX-7-low-satisfaction'], approved: null }]);
  });
});
