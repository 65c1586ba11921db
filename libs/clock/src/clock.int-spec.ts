import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { Ledger } from '@cadre-ledger/application';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { ClockFollower, CLOCK_CHECKPOINT } from './clock-follower';
import { InfluenceClock, influencePeriodEventId } from './influence-clock';

/**
 * The influence clock on its own (no read model in its database): it follows the store from its
 * own checkpoint, marks a backdated fact's ended lock at once, and a lock that ends later on its
 * day; each mark once, whatever races or restarts.
 */
const ruleBook = readRuleBook();
const position = { title: '科长', level: 'township-chief', leadership: true, principal: false } as const;
const actor = { actor: 'org-湖南' };

let db: TestDatabase;
let store: PostgresEventStore;
let pool: Pool;
/** The clock's "today", moved by the tests; knowledge is always the present (facts carry the database's recordedAt). */
let today = '2026-11-22';

beforeEach(async () => {
  today = '2026-11-22';
  db = await createTestDatabase('clock');
  store = await PostgresEventStore.open({ connectionString: db.url });
  pool = new Pool({ connectionString: db.url, max: 4 });
  await ClockFollower.migrate(pool);
});

afterEach(async () => {
  await pool.end();
  await store.close();
  await db.drop();
});

const ledger = () => new Ledger({ store, ruleBook, now: () => new Date(), newEventId: randomUUID });
const follower = () => new ClockFollower({ pool, store, ruleBook, ledger: ledger(), today: () => today });

async function registerAndAdjust(cadreId: string, kind: 'transfer-out' | 'demotion', effectiveAt: string) {
  await ledger().executeCadreCommand(cadreId, {
    type: 'RegisterCadre',
    data: { cadreId, name: '黄丽', unitId: 'zjj-sw', jurisdiction: 'CN-HN-ZJJ', position, effectiveAt: '2015-03-01' },
    metadata: actor,
  });
  await ledger().executeCadreCommand(cadreId, { type: 'AdjustCadre', data: { kind, newPosition: position, effectiveAt }, metadata: actor });
}

const marks = async (cadreId: string) => (await store.readStream(`cadre-${cadreId}`)).filter((e) => e.type === 'InfluencePeriodEnded');

describe('the influence clock, following the store on its own', () => {
  it('marks a backdated fact\'s ended lock in the batch that brings the fact, from its own checkpoint', async () => {
    await registerAndAdjust('c-1', 'transfer-out', '2024-06-30');
    const clock = follower();
    expect(await clock.processBatch()).toEqual({ events: 2, marks: 1 });
    const [mark] = await marks('c-1');
    expect(mark).toMatchObject({
      eventId: influencePeriodEventId('c-1', 'CN/RY-adjust@' + mark.data.sourceEventId),
      effectiveAt: '2025-06-30',
      actor: 'ledger-clock',
      data: { lockId: `CN/RY-adjust@${mark.data.sourceEventId}`, ruleId: 'CN/RY-adjust' },
    });
    // Its checkpoint is its own, and the mark it appended is then read and marks nothing more.
    const [, adjusted] = await store.readStream('cadre-c-1');
    expect(await clock.checkpoint()).toBe(adjusted.globalPosition);
    expect(await clock.catchUp()).toEqual({ events: 1, marks: 0 });
    expect((await pool.query('SELECT name FROM clock_checkpoints')).rows).toEqual([{ name: CLOCK_CHECKPOINT }]);
    expect((await pool.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'reporting'")).rows[0].n).toBe(0);
  });

  it('appends each mark exactly once with two clocks racing', async () => {
    await registerAndAdjust('c-2', 'demotion', '2023-01-10');
    const clock = new InfluenceClock({ ledger: ledger(), store, ruleBook, today: () => today });
    const counts = await Promise.all([clock.markCadre('c-2'), clock.markCadre('c-2'), clock.markCadre('c-2')]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await marks('c-2')).toHaveLength(1);
    const [a, b] = await Promise.all([follower().catchUp(), follower().catchUp()]);
    expect(a.marks + b.marks).toBe(0);
    expect(await marks('c-2')).toHaveLength(1);
  });

  it('on the day a lock ends, marks it; not the day before', async () => {
    today = '2026-06-29';
    await registerAndAdjust('c-3', 'transfer-out', '2025-06-30');
    const clock = follower();
    expect(await clock.catchUp()).toEqual({ events: 2, marks: 0 });
    expect((await pool.query('SELECT cadre_id, until_date::text FROM clock_lock_ends')).rows).toEqual([{ cadre_id: 'c-3', until_date: '2026-06-30' }]);
    expect(await clock.newDay()).toEqual([]);
    today = '2026-06-30';
    expect(await clock.newDay()).toEqual(['c-3']);
    expect(await marks('c-3')).toHaveLength(1);
    expect((await pool.query('SELECT count(*)::int AS n FROM clock_lock_ends')).rows[0].n).toBe(0);
  });

  it('concerns the cadres of a unit when a unit\'s fact creates a lock for them', async () => {
    await ledger().executeCadreCommand('c-4', { type: 'RegisterCadre', data: { cadreId: 'c-4', name: '陈静', unitId: 'zjj-sw', jurisdiction: 'CN-HN-ZJJ', position: { ...position, principal: true }, effectiveAt: '2015-03-01' }, metadata: actor });
    const clock = follower();
    await clock.catchUp();
    expect((await pool.query('SELECT unit_id, cadre_id FROM clock_cadre_units')).rows).toEqual([{ unit_id: 'zjj-sw', cadre_id: 'c-4' }]);
  });
});
