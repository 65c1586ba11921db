import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { Ledger } from '@cadre-ledger/application';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { runMigrations, waitUntil } from '@cadre-ledger/platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { Projector } from '../postgres/projector';
import { READ_MODEL_MIGRATIONS_NAMESPACE, readModelMigrations } from '../postgres/schema';
import { InfluenceClock, influencePeriodEventId } from './influence-clock';

const ruleBook = readRuleBook();
const position = { title: '科长', level: 'township-chief', leadership: true, principal: false } as const;
const actor = { actor: 'org-湖南' };

let db: TestDatabase;
let store: PostgresEventStore;
let pool: Pool;
/** The clock's "today", moved by the tests; knowledge is always the present (facts carry the database's recordedAt). */
let today = '2026-11-22';
const now = () => new Date().toISOString();

beforeEach(async () => {
  today = '2026-11-22';
  db = await createTestDatabase('clock');
  store = await PostgresEventStore.open({ connectionString: db.url });
  pool = new Pool({ connectionString: db.url, max: 4 });
  await runMigrations(pool, READ_MODEL_MIGRATIONS_NAMESPACE, readModelMigrations);
});

afterEach(async () => {
  await pool.end();
  await store.close();
  await db.drop();
});

const ledger = () => new Ledger({ store, ruleBook, now: () => new Date(now()), newEventId: randomUUID });
const clock = () => new InfluenceClock({ ledger: ledger(), store, ruleBook, pool, today: () => today });

async function registerAndAdjust(cadreId: string, kind: 'transfer-out' | 'demotion', effectiveAt: string) {
  await ledger().executeCadreCommand(cadreId, {
    type: 'RegisterCadre',
    data: { cadreId, name: '黄丽', unitId: 'zjj-sw', jurisdiction: 'CN-HN-ZJJ', position, effectiveAt: '2015-03-01' },
    metadata: actor,
  });
  await ledger().executeCadreCommand(cadreId, { type: 'AdjustCadre', data: { kind, newPosition: position, effectiveAt }, metadata: actor });
}

const marks = async (cadreId: string) => (await store.readStream(`cadre-${cadreId}`)).filter((e) => e.type === 'InfluencePeriodEnded');

describe('InfluenceClock', () => {
  it('marks a backdated fact’s ended lock as soon as the projector has seen it', async () => {
    const theClock = clock();
    const projector = new Projector({ pool, store, ruleBook, today: () => today, onProjected: async (rows) => void (await Promise.all([...rows].map(([id, cadre]) => theClock.markLocks(id, cadre?.awaitingMark ?? [])))) });
    await registerAndAdjust('c-1', 'transfer-out', '2024-06-30');
    await waitUntil(async () => {
      await projector.catchUp();
      return (await marks('c-1')).length > 0;
    }, { timeoutMs: 30_000, description: 'the InfluencePeriodEnded mark' });
    const [mark] = await marks('c-1');
    expect(mark).toMatchObject({
      eventId: influencePeriodEventId('c-1', 'CN/RY-adjust@' + mark.data.sourceEventId),
      effectiveAt: '2025-06-30',
      actor: 'ledger-clock',
      data: { lockId: `CN/RY-adjust@${mark.data.sourceEventId}`, ruleId: 'CN/RY-adjust' },
    });
    await projector.catchUp(); // the mark itself is projected; nothing more is appended
    expect(await marks('c-1')).toHaveLength(1);
  });

  it('appends each mark exactly once with two clocks racing', async () => {
    await registerAndAdjust('c-2', 'demotion', '2023-01-10');
    const counts = await Promise.all([clock().markCadre('c-2'), clock().markCadre('c-2'), clock().markCadre('c-2')]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await marks('c-2')).toHaveLength(1);
    expect(await clock().markCadre('c-2')).toBe(0);
  });

  it('on a new day, marks the locks that ended and refreshes the rows time has made stale', async () => {
    today = '2026-06-29';
    await registerAndAdjust('c-3', 'transfer-out', '2025-06-30');
    const projector = new Projector({ pool, store, ruleBook, today: () => today });
    await waitUntil(async () => {
      await projector.catchUp();
      return (await pool.query('SELECT 1 FROM reporting.cadre_eligibility WHERE cadre_id = $1 AND revision = 1', ['c-3'])).rowCount;
    }, { timeoutMs: 30_000, description: 'the row of c-3 at revision 1' });
    expect((await pool.query('SELECT promotable FROM reporting.cadre_eligibility')).rows).toEqual([{ promotable: false }]);
    expect(await clock().sweep()).toEqual({ cadres: [], marks: 0 });

    today = '2026-06-30';
    const swept = await clock().sweep();
    expect(swept).toEqual({ cadres: ['c-3'], marks: 1 });
    await projector.refresh(swept.cadres);
    expect((await pool.query('SELECT promotable, as_of::text FROM reporting.cadre_eligibility')).rows).toEqual([{ promotable: true, as_of: '2026-06-30' }]);
    expect(await marks('c-3')).toHaveLength(1);
  });
});
