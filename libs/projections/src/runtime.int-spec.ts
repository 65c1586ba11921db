import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { Ledger } from '@cadre-ledger/application';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { waitUntil } from '@cadre-ledger/platform';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { startReadModels, type ReadModelRuntime } from './runtime';
import { conflictReactions, startClock, type ClockRuntime } from '@cadre-ledger/clock';

const ruleBook = readRuleBook();
const post = { title: '主任', level: 'county-chief', leadership: true, principal: true } as const;

let db: TestDatabase;
let store: PostgresEventStore;
let pool: Pool;
let runtime: ReadModelRuntime;
let clock: ClockRuntime | undefined;
const errors: unknown[] = [];

beforeAll(async () => {
  db = await createTestDatabase('runtime');
  store = await PostgresEventStore.open({ connectionString: db.url });
  pool = new Pool({ connectionString: db.url, max: 4 });
});

afterAll(async () => {
  await clock?.stop();
  await runtime?.stop();
  await pool.end();
  await store.close();
  await db.drop();
});

describe('startReadModels', () => {
  it('follows live appends: projects them, and the mark the clock (beside it, on its own checkpoint) appends for a backdated lock that has already ended', async () => {
    const ledger = new Ledger({ store, ruleBook, now: () => new Date(), newEventId: randomUUID });
    runtime = await startReadModels({ pool, store, ruleBook, today: () => '2026-11-22', onProjected: conflictReactions({ ledger, today: () => '2026-11-22' }).onProjected, onError: (e) => errors.push(e) });
    clock = await startClock({ pool, store, ruleBook, ledger, today: () => '2026-11-22', onError: (e) => errors.push(e) });
    await ledger.executeCadreCommand('c-9', {
      type: 'RegisterCadre',
      data: { cadreId: 'c-9', name: '郑强', unitId: 'xa-kjj', jurisdiction: 'CN-SN', position: post, effectiveAt: '2019-01-01' },
      metadata: { actor: 'org' },
    });
    await ledger.executeCadreCommand('c-9', { type: 'IssueCaution', data: { reason: '补录', effectiveAt: '2024-01-15' }, metadata: { actor: 'org' } });
    const row = await waitUntil(async () => {
      const { rows } = await pool.query<{ revision: string; promotable: boolean }>('SELECT revision, promotable FROM reporting.cadre_eligibility WHERE cadre_id = $1', ['c-9']);
      return rows[0]?.revision === '2' ? rows[0] : null;
    }, { timeoutMs: 30_000, description: 'the row of c-9 with the clock’s mark' });
    expect(row.promotable).toBe(true);
    const types = (await store.readStream('cadre-c-9')).map((e) => e.type);
    expect(types).toEqual(['CadreRegistered', 'CautionIssued', 'InfluencePeriodEnded']);
    expect(errors).toEqual([]);
  });
});
