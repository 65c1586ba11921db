import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Pool } from 'pg';
import type { Fact } from '@cadre-ledger/domain';
import { Ledger, toNewEvent } from '@cadre-ledger/application';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { runMigrations, waitUntil } from '@cadre-ledger/platform';
import { cadreHistory } from '@cadre-ledger/policy/testing/arbitraries';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { Projector } from './projector';
import { rebuildReadModels } from './rebuild';
import { READ_MODEL_MIGRATIONS_NAMESPACE, readModelMigrations } from './schema';
import { readModelChecksum } from '../testing/checksum';

const ruleBook = readRuleBook();
const TODAY = '2026-11-22';
const position = { title: '局长', level: 'county-chief', leadership: true, principal: true } as const;

let db: TestDatabase;
let store: PostgresEventStore;
let pool: Pool;

beforeEach(async () => {
  db = await createTestDatabase('projector');
  store = await PostgresEventStore.open({ connectionString: db.url });
  pool = new Pool({ connectionString: db.url, max: 4 });
  await runMigrations(pool, READ_MODEL_MIGRATIONS_NAMESPACE, readModelMigrations);
});

beforeEach(() => {
  head = 0;
});

afterEach(async () => {
  await pool.end();
  await store.close();
  await db.drop();
});

/** The highest position appended so far by this test. */
let head = 0;
const noted = <T extends { events: { globalPosition: number }[] }>(result: T): T => {
  for (const e of result.events) head = Math.max(head, e.globalPosition);
  return result;
};

/**
 * Projects until the checkpoint passes everything this test appended. Readers only see a position
 * once every older transaction on the server has ended (other test files share the server), so
 * "caught up" is a condition to wait for, not the first empty batch.
 */
async function projectAll(p = projector()): Promise<number> {
  let done = 0;
  await waitUntil(async () => {
    done += await p.catchUp();
    return (await p.checkpoint()) >= head;
  }, { timeoutMs: 30_000, description: `the projector to pass position ${head}` });
  return done;
}

const projector = (batchSize = 500) => new Projector({ pool, store, ruleBook, today: () => TODAY, batchSize });
const ledger = () => new Ledger({ store, ruleBook, now: () => new Date(), newEventId: randomUUID });
const actor = { actor: 'org-陕西' };

const checksum = (cadrePrefix = '') => readModelChecksum(pool, cadrePrefix);

async function register(cadreId: string, principal: boolean) {
  return noted(await ledger().executeCadreCommand(cadreId, {
    type: 'RegisterCadre',
    data: { cadreId, name: '吴磊', unitId: 'ak-jyj', jurisdiction: 'CN-SN-AK', position: { ...position, principal }, effectiveAt: '2018-01-01' },
    metadata: actor,
  }));
}

describe('Projector', () => {
  it('projects each cadre’s verdict as of today, and a unit assessment into its principal’s row', async () => {
    await register('c-1', true);
    await register('c-2', false);
    noted(await ledger().executeCadreCommand('c-2', {
      type: 'AdjustCadre',
      data: { kind: 'demotion', newPosition: { ...position, level: 'county-deputy', principal: false }, effectiveAt: '2026-01-05' },
      metadata: actor,
    }));
    expect(await projectAll()).toBe(3);
    const { rows } = await pool.query('SELECT cadre_id, unit_id, promotable, next_lock_end::text FROM reporting.cadre_eligibility ORDER BY cadre_id');
    expect(rows).toEqual([
      { cadre_id: 'c-1', unit_id: 'ak-jyj', promotable: true, next_lock_end: null },
      { cadre_id: 'c-2', unit_id: 'ak-jyj', promotable: false, next_lock_end: '2028-01-05' },
    ]);
    const locks = await pool.query('SELECT cadre_id, kind, rule_id, until_date::text FROM reporting.promotion_locks');
    expect(locks.rows).toEqual([{ cadre_id: 'c-2', kind: 'demotion', rule_id: 'CN-SN/NSX-16b', until_date: '2028-01-05' }]);

    noted(await ledger().executeUnitCommand('ak-jyj', { type: 'RecordUnitAssessment', data: { unitId: 'ak-jyj', year: 2025, grade: 'poor', effectiveAt: '2026-02-01' }, metadata: actor }));
    expect(await projectAll()).toBe(1);
    const triggers = await pool.query(`SELECT cadre_id, review_triggers FROM reporting.cadre_eligibility WHERE jsonb_array_length(review_triggers) > 0`);
    expect(triggers.rows).toEqual([{ cadre_id: 'c-1', review_triggers: [expect.objectContaining({ ruleId: 'CN-SN/NSX-8-1', kind: 'unit-assessment-principal' })] }]);
    const stats = await pool.query('SELECT year, unit_id, mechanism, persons FROM reporting.mechanism_stats');
    expect(stats.rows).toEqual([{ year: 2026, unit_id: 'ak-jyj', mechanism: 'adjustment', persons: 1 }]);
  });

  it('recomputes only the graded cadre for an excellent review, not every cadre of its unit for the quota claim', async () => {
    const unitId = 'q-unit';
    noted(await ledger().executeUnitCommand(unitId, { type: 'RegisterUnit', data: { unitId, name: '某局', level: 'county', jurisdiction: 'CN', effectiveAt: '2015-01-01' }, metadata: actor }));
    noted(await ledger().executeUnitCommand(unitId, { type: 'SetUnitQuota', data: { unitId, year: 2025, assessedHeadcount: 10, effectiveAt: '2026-01-05' }, metadata: actor }));
    for (const cadreId of ['q-1', 'q-2', 'q-3']) {
      noted(await ledger().executeCadreCommand(cadreId, { type: 'RegisterCadre', data: { cadreId, name: '钱进', unitId, jurisdiction: 'CN', position, effectiveAt: '2018-01-01' }, metadata: actor }));
    }
    const recomputed: string[][] = [];
    const watching = new Projector({ pool, store, ruleBook, today: () => TODAY, onProjected: async (rows) => void recomputed.push([...rows.keys()]) });
    await projectAll(watching);
    recomputed.length = 0;
    noted(await ledger().executeCadreCommand('q-1', { type: 'RecordAnnualReview', data: { year: 2025, grade: 'excellent', effectiveAt: '2026-01-20' }, metadata: actor }));
    expect((await store.readStream(`unit-${unitId}`)).map((e) => e.type)).toEqual(['UnitRegistered', 'UnitQuotaSet', 'ExcellenceQuotaClaimed']);
    await projectAll(watching);
    expect(recomputed.flat()).toEqual(['q-1']);
  });

  it('fills the directory on a ledger projected before it existed: migration 4 sends the projector through the store again', async () => {
    // A database whose read models stopped at version 3, projected to the end.
    const older = await createTestDatabase('projector-v3');
    const olderStore = await PostgresEventStore.open({ connectionString: older.url });
    const olderPool = new Pool({ connectionString: older.url, max: 2 });
    try {
      await runMigrations(olderPool, READ_MODEL_MIGRATIONS_NAMESPACE, readModelMigrations.filter((m) => m.version <= 3));
      const olderLedger = new Ledger({ store: olderStore, ruleBook, now: () => new Date(), newEventId: randomUUID });
      await olderLedger.executeUnitCommand('ak', { type: 'RegisterUnit', data: { unitId: 'ak', name: '安康市', level: 'city', jurisdiction: 'CN-SN-AK', effectiveAt: '2010-01-01' }, metadata: actor });
      await olderLedger.executeCadreCommand('c-old', { type: 'RegisterCadre', data: { cadreId: 'c-old', name: '吴磊', unitId: 'ak', jurisdiction: 'CN-SN-AK', position, effectiveAt: '2018-01-01' }, metadata: actor });
      // What an older projector leaves: its checkpoint at the end of the store (this version's cannot run on v3 tables).
      const end = Math.max(...(await olderStore.readStream('cadre-c-old')).map((e) => e.globalPosition));
      await olderPool.query(`INSERT INTO projection_checkpoints (name, position) VALUES ('read-models', $1)`, [end]);
      const olderProjector = new Projector({ pool: olderPool, store: olderStore, ruleBook, today: () => TODAY });
      expect(await olderProjector.checkpoint()).toBe(end);
      await runMigrations(olderPool, READ_MODEL_MIGRATIONS_NAMESPACE, readModelMigrations);
      expect(await olderProjector.checkpoint()).toBe(0);
      await waitUntil(async () => (await olderProjector.catchUp(), (await olderPool.query('SELECT 1 FROM reporting.cadres')).rowCount === 1), { timeoutMs: 30_000, description: 'the directory' });
      expect((await olderPool.query('SELECT cadre_id, unit_id FROM reporting.cadres')).rows).toEqual([{ cadre_id: 'c-old', unit_id: 'ak' }]);
      expect((await olderPool.query('SELECT unit_id, level FROM reporting.units')).rows).toEqual([{ unit_id: 'ak', level: 'city' }]);
    } finally {
      await olderPool.end();
      await olderStore.close();
      await older.drop();
    }
  });

  it('after a crash mid-batch, ends with read models equal to a full rebuild', async () => {
    for (let i = 0; i < 6; i++) await register(`c-${i}`, i % 2 === 0);
    noted(await ledger().executeCadreCommand('c-3', { type: 'IssueCaution', data: { reason: '履职不力', effectiveAt: '2026-10-01' }, metadata: actor }));
    await waitUntil(async () => (await store.readAll({ fromPosition: head - 1, limit: 1 })).length > 0, { timeoutMs: 30_000, description: 'the last append to become readable' });
    // The checkpoint write fails once, after the batch's rows were written in the same transaction.
    await pool.query(`CREATE TABLE crash_once (armed boolean);
      INSERT INTO crash_once VALUES (false);
      CREATE FUNCTION crash_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF (SELECT armed FROM crash_once) THEN RAISE EXCEPTION 'simulated crash'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER crash_once BEFORE INSERT OR UPDATE ON projection_checkpoints FOR EACH ROW EXECUTE FUNCTION crash_once();`);
    expect(await projector(3).processBatch()).toBe(3);
    await pool.query('UPDATE crash_once SET armed = true');
    await expect(projector(3).processBatch()).rejects.toThrow('simulated crash');
    expect(await projector().checkpoint()).toBeGreaterThan(0);
    const { rows: kept } = await pool.query('SELECT count(*)::int AS n FROM reporting.cadre_eligibility');
    expect(kept[0].n).toBe(3); // the failed batch's rows were rolled back with its checkpoint
    await pool.query('UPDATE crash_once SET armed = false');
    await projectAll(projector(3));
    const incremental = await checksum();
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM reporting.cadre_eligibility');
    expect(rows[0].n).toBe(6);

    const result = await rebuildReadModels({ pool, store, ruleBook, today: () => TODAY });
    expect(result.events).toBe(7);
    expect(await checksum()).toBe(incremental);
    expect(await projector().checkpoint()).toBe(result.position);
  });

  it('rebuilds the same tables as incremental projection, for generated histories', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cadreHistory, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 20 }), async (cadres, batchSize) => {
        await resetReadModels();
        const run = randomUUID().slice(0, 8);
        for (const [i, { history }] of cadres.entries()) await appendGenerated(`${run}-${i}`, history);
        await projectAll(projector(batchSize));
        const incremental = await checksum(run);
        await rebuildReadModels({ pool, store, ruleBook, today: () => TODAY });
        expect(await checksum(run)).toBe(incremental);
        expect(incremental).not.toBe(await checksum('no-such-cadre'));
      }),
      { numRuns: 6 },
    );
  });

  it('keeps serving the old tables while it rebuilds, and reports progress', async () => {
    for (let i = 0; i < 4; i++) await register(`c-${i}`, false);
    await projectAll();
    const before = await checksum();
    const progress: number[] = [];
    let servedDuringRebuild = '';
    let builtSoFar = -1;
    await rebuildReadModels({
      pool, store, ruleBook, today: () => TODAY, batchSize: 1, streamsPerPage: 1, totalEvents: 4,
      onProgress: async (p) => {
        progress.push(p.events);
        expect(p.etaSeconds).not.toBeNull();
        if (p.events !== 2) return;
        servedDuringRebuild = await checksum();
        builtSoFar = (await pool.query('SELECT count(*)::int AS n FROM reporting.cadre_eligibility_next')).rows[0].n;
      },
    });
    expect(progress).toEqual([1, 2, 3, 4]);
    // Pages are written two at a time: when 2 events are reported, at least those 2 cadres are in the new tables.
    expect(builtSoFar).toBeGreaterThanOrEqual(2);
    expect(builtSoFar).toBeLessThan(4);
    expect(servedDuringRebuild).toBe(before);
    expect(await checksum()).toBe(before);
  });

  it('on a new day refreshes the rows computed before it, into the Kafka outbox too (the clock\'s day changes reach the eligibility topic)', async () => {
    let today = '2026-06-29';
    const outboxed = new Projector({ pool, store, ruleBook, today: () => today, eligibilityOutbox: true });
    noted(await ledger().executeCadreCommand('d-1', { type: 'RegisterCadre', data: { cadreId: 'd-1', name: '邓华', unitId: 'u-d', jurisdiction: 'CN', position, effectiveAt: '2020-01-01' }, metadata: { actor: 'org' } }));
    noted(await ledger().executeCadreCommand('d-1', { type: 'IssueCaution', data: { reason: '督查', effectiveAt: '2026-01-01' }, metadata: { actor: 'org' } }));
    await projectAll(outboxed);
    await pool.query('DELETE FROM eligibility_outbox');
    expect(await outboxed.refreshStale()).toEqual([]); // nothing is older than today
    today = '2026-07-01';
    expect(await outboxed.refreshStale()).toEqual(['d-1']);
    const { rows } = await pool.query<{ cadre_id: string; verdict: { asOf: string; promotable: boolean } }>('SELECT cadre_id, verdict FROM eligibility_outbox');
    expect(rows).toEqual([{ cadre_id: 'd-1', verdict: expect.objectContaining({ asOf: '2026-07-01', promotable: true }) }]);
  });
});

async function resetReadModels() {
  await pool.query('TRUNCATE reporting.cadre_eligibility, reporting.promotion_locks, reporting.tolerance_cases, reporting.mechanism_touches, reporting.cadre_units, reporting.adjustment_cases, reporting.cadres, reporting.units, reporting.facts');
  await pool.query("DELETE FROM projection_checkpoints WHERE name = 'read-models'");
  await pool.query("INSERT INTO projection_checkpoints (name, position) SELECT 'read-models', coalesce(max(global_position), 0) FROM ledger_events");
}

/** Appends a generated history to its own cadre stream (and unit streams), ids made unique. */
async function appendGenerated(cadreId: string, history: Fact[]) {
  const id = (e: string) => `${cadreId}-${e}`;
  const units = new Map<string, Fact[]>();
  const own: Fact[] = [];
  for (const fact of history) {
    const data = { ...(fact.data as Record<string, unknown>) };
    if (Array.isArray(data.covers)) data.covers = (data.covers as string[]).map(id);
    if (fact.type === 'EntryRetracted') data.eventId = id(data.eventId as string);
    if (fact.type === 'CadreRegistered') data.cadreId = cadreId;
    if ('unitId' in data) data.unitId = `${cadreId}-${data.unitId}`;
    const renamed = { ...fact, data, metadata: { ...fact.metadata, eventId: id(fact.metadata.eventId) } } as Fact;
    if (fact.type === 'UnitAssessmentRecorded') units.set(data.unitId as string, [...(units.get(data.unitId as string) ?? []), renamed]);
    else own.push(renamed);
  }
  noted(await store.appendToStream(`cadre-${cadreId}`, own.map(toNewEvent), { expectedRevision: 'no-stream' }));
  for (const [unitId, facts] of units) noted(await store.appendToStream(`unit-${unitId}`, facts.map(toNewEvent), { expectedRevision: 'any' }));
}
