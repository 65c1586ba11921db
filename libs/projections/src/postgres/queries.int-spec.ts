import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { Ledger } from '@cadre-ledger/application';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { runMigrations, waitUntil } from '@cadre-ledger/platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { Projector } from './projector';
import { InvalidCursor, mechanismStats } from './queries';
import { listEligibility } from '../eligibility/eligibility';
import { listCases } from '../cases/cases';
import { listLocks } from '../promotion-locks/promotion-locks';
import { listUnits, unitDetail } from '../directory/directory';
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
  await ledger.executeUnitCommand('prov', { type: 'RegisterUnit', data: { unitId: 'prov', name: '陕西省', level: 'province', jurisdiction: 'CN-SN', effectiveAt: '2010-01-01' }, metadata: actor });
  await ledger.executeUnitCommand('unit-b', { type: 'RegisterUnit', data: { unitId: 'unit-b', name: '陕西省发展和改革委员会', level: 'department', parentUnitId: 'prov', jurisdiction: 'CN-SN', effectiveAt: '2010-01-01' }, metadata: actor });
  const units = { a1: 'unit-a', a2: 'unit-a', a3: 'unit-a', b1: 'unit-b', b2: 'unit-b' } as const;
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
  // b2: made the unit's principal in 2025; a caution whose lock ends on 2026-12-01, nine days after TODAY.
  await ledger.executeCadreCommand('b2', { type: 'PromoteCadre', data: { newPosition: { title: '主任', level: 'bureau-chief', leadership: true, principal: true }, effectiveAt: '2025-01-10' }, metadata: actor });
  await ledger.executeCadreCommand('b2', { type: 'IssueCaution', data: { reason: '履职不力', effectiveAt: '2026-06-01' }, metadata: actor });
  const caution = (await store.readStream('cadre-b1'))[1].eventId;
  await ledger.executeCadreCommand('b1', {
    type: 'RequestTolerance',
    data: { caseId: 'RC-9', situation: 'SN-2', covers: [caution], initiatedBy: 'applicant', effectiveAt: '2026-09-10' },
    metadata: actor,
  });
  const projector = new Projector({ pool, store, ruleBook, today: () => TODAY });
  await waitUntil(async () => {
    await projector.catchUp();
    return (await pool.query('SELECT 1 FROM reporting.tolerance_cases')).rowCount;
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
    expect(locked.items.map((v) => v.cadreId)).toEqual(['a2', 'b1', 'b2']);
    const unitB = await listEligibility(pool, { scope: '*', unitId: 'unit-b', limit: 10 });
    expect(unitB.items.map((v) => v.cadreId)).toEqual(['b1', 'b2']);
    const outside = await listEligibility(pool, { scope: ['unit-a'], unitId: 'unit-b', limit: 10 });
    expect(outside.items).toEqual([]);
  });

  it('refuses a cursor it did not issue', async () => {
    await expect(listEligibility(pool, { scope: '*', limit: 1, cursor: 'bm90LW91cnM' })).rejects.toBeInstanceOf(InvalidCursor);
  });

  it('counts persons per mechanism, active locks, pending tolerance and adjustment cases, and standing review triggers', async () => {
    const noCases = { toleranceCasesByStep: { requested: 0, investigated: 0, decided: 0, notified: 0 }, adjustmentCasesByStep: { reported: 0, reviewed: 0, approved: 0, decided: 0 } };
    expect(await mechanismStats(pool, { year: 2026, scope: '*', today: TODAY })).toEqual({
      year: 2026, incentive: 1, tolerance: 0, adjustment: 1, locksActive: 3, pendingToleranceCases: 1, openReviewTriggers: 1, pendingAdjustmentCases: 1,
      locksEndingWithin30Days: 1, locksEndingWithin90Days: 1, conflicts: 0, conflictsFoundLater: 0,
      toleranceCasesByStep: { ...noCases.toleranceCasesByStep, requested: 1 }, adjustmentCasesByStep: { ...noCases.adjustmentCasesByStep, reported: 1 },
    });
    expect(await mechanismStats(pool, { year: 2026, scope: ['unit-a'], today: TODAY })).toEqual({
      year: 2026, incentive: 1, tolerance: 0, adjustment: 1, locksActive: 1, pendingToleranceCases: 0, openReviewTriggers: 1, pendingAdjustmentCases: 1,
      locksEndingWithin30Days: 0, locksEndingWithin90Days: 0, conflicts: 0, conflictsFoundLater: 0, ...noCases, adjustmentCasesByStep: { ...noCases.adjustmentCasesByStep, reported: 1 },
    });
    expect(await mechanismStats(pool, { year: 2025, scope: '*', unitId: 'unit-b', today: TODAY })).toEqual({
      year: 2025, incentive: 0, tolerance: 0, adjustment: 0, locksActive: 2, pendingToleranceCases: 1, openReviewTriggers: 0, pendingAdjustmentCases: 0,
      locksEndingWithin30Days: 1, locksEndingWithin90Days: 1, conflicts: 0, conflictsFoundLater: 0, ...noCases, toleranceCasesByStep: { ...noCases.toleranceCasesByStep, requested: 1 },
    });
    // A month later the caution's lock has ended and b1's is within 90 days.
    expect(await mechanismStats(pool, { year: 2026, scope: '*', today: '2026-12-22' })).toMatchObject({ locksActive: 2, locksEndingWithin30Days: 0, locksEndingWithin90Days: 1 });
    const { rows } = await pool.query('SELECT cadre_id, case_id, step, triggers, approved FROM reporting.adjustment_cases');
    expect(rows).toEqual([{ cadre_id: 'a1', case_id: 'ad-1', step: 'reported', triggers: ['CN-SN/NSX-7-low-satisfaction'], approved: null }]);
  });

  it('lists registered units within scope, by parent and by name, and gives one with its principal and children', async () => {
    expect((await listUnits(pool, { scope: '*', limit: 10 })).items.map((u) => [u.unitId, u.level, u.parentUnitId])).toEqual([['prov', 'province', null], ['unit-b', 'department', 'prov']]);
    expect((await listUnits(pool, { scope: '*', parentUnitId: 'prov', limit: 10 })).items.map((u) => u.unitId)).toEqual(['unit-b']);
    expect((await listUnits(pool, { scope: '*', q: '发展和改革', limit: 10 })).items.map((u) => u.unitId)).toEqual(['unit-b']);
    expect((await listUnits(pool, { scope: ['unit-a', 'unit-b'], limit: 10 })).items.map((u) => u.unitId)).toEqual(['unit-b']);
    const first = await listUnits(pool, { scope: '*', limit: 1 });
    expect((await listUnits(pool, { scope: '*', limit: 1, cursor: first.nextCursor as string })).items.map((u) => u.unitId)).toEqual(['unit-b']);
    expect(await unitDetail(pool, 'unit-b')).toEqual({
      unitId: 'unit-b', name: '陕西省发展和改革委员会', level: 'department', parentUnitId: 'prov', jurisdiction: 'CN-SN', registeredOn: '2010-01-01',
      principalCadreId: 'b2', principalName: '孙明', partySecretaryCadreId: null, childUnitIds: [],
    });
    expect(await unitDetail(pool, 'prov')).toMatchObject({ principalCadreId: null, childUnitIds: ['unit-b'] });
    expect(await unitDetail(pool, 'unit-a')).toBeNull(); // facts, but never registered
  });

  it('keeps the directory: each cadre with its post today', async () => {
    const { rows } = await pool.query(`SELECT cadre_id, name, unit_id, title, position_level, principal, to_char(position_since, 'YYYY-MM-DD') AS since FROM reporting.cadres WHERE cadre_id IN ('a2', 'b2') ORDER BY cadre_id`);
    expect(rows).toEqual([
      { cadre_id: 'a2', name: '孙明', unit_id: 'unit-a', title: '副主任', position_level: 'county-deputy', principal: false, since: '2026-03-01' },
      { cadre_id: 'b2', name: '孙明', unit_id: 'unit-b', title: '主任', position_level: 'bureau-chief', principal: true, since: '2025-01-10' },
    ]);
  });

  it('lists open cases longest waiting first, by kind and step, a page at a time', async () => {
    const all = await listCases(pool, { scope: '*', limit: 10, today: TODAY });
    expect(all.items.map((c) => [c.kind, c.cadreId, c.caseId, c.step, c.daysWaiting])).toEqual([
      ['adjustment', 'a1', 'ad-1', 'reported', 144],
      ['tolerance', 'b1', 'RC-9', 'requested', 73],
    ]);
    expect(all.items[0]).toMatchObject({ name: '孙明', triggers: ['CN-SN/NSX-7-low-satisfaction'], approved: null, openedOn: '2026-07-01' });
    expect(all.items[1]).toMatchObject({ situation: 'SN-2', outcome: null });
    expect((await listCases(pool, { scope: '*', kind: 'tolerance', limit: 10, today: TODAY })).items.map((c) => c.caseId)).toEqual(['RC-9']);
    expect((await listCases(pool, { scope: '*', step: 'reviewed', limit: 10, today: TODAY })).items).toEqual([]);
    expect((await listCases(pool, { scope: ['unit-b'], limit: 10, today: TODAY })).items.map((c) => c.caseId)).toEqual(['RC-9']);
    const first = await listCases(pool, { scope: '*', limit: 1, today: TODAY });
    const second = await listCases(pool, { scope: '*', limit: 1, today: TODAY, cursor: first.nextCursor as string });
    expect([first.items[0].caseId, second.items[0].caseId, second.nextCursor]).toEqual(['ad-1', 'RC-9', null]);
    await expect(listCases(pool, { scope: '*', limit: 1, today: TODAY, cursor: first.nextCursor!.slice(0, -2) })).rejects.toBeInstanceOf(InvalidCursor);
  });

  it('lists locks in force soonest end first, with the name and the clause, and those ending within N days', async () => {
    const all = await listLocks(pool, { scope: '*', limit: 10, today: TODAY });
    expect(all.items.map((l) => [l.cadreId, l.kind, l.until])).toEqual([
      ['b2', 'caution', '2026-12-01'],
      ['b1', 'caution', '2027-03-01'],
      ['a2', 'demotion', '2028-03-01'],
    ]);
    expect(all.items[2]).toMatchObject({ name: '孙明', ruleId: 'CN-SN/NSX-16b', citation: { article: '第十六条' } });
    expect((await listLocks(pool, { scope: '*', endingWithin: 30, limit: 10, today: TODAY })).items.map((l) => l.cadreId)).toEqual(['b2']);
    expect((await listLocks(pool, { scope: ['unit-a'], limit: 10, today: TODAY })).items.map((l) => l.cadreId)).toEqual(['a2']);
    const first = await listLocks(pool, { scope: '*', limit: 2, today: TODAY });
    expect((await listLocks(pool, { scope: '*', limit: 2, today: TODAY, cursor: first.nextCursor as string })).items.map((l) => l.cadreId)).toEqual(['a2']);
  });
});
