import { Pool } from 'pg';
import request from 'supertest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PostgresEventStore, type EventStore } from '@cadre-ledger/event-store';
import { ensureDatabase, withDatabase } from '@cadre-ledger/platform';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { createApiApp } from '../../apps/api/src/app';
import { secretKey, signToken } from '../../apps/api/src/auth/jwt';
import { startKillablePostgres, type KillablePostgres } from '../support/killable-postgres';
import { waitFor } from '../support/wait-for';
import { registration, TEST_SECRET } from './support/test-api';

/**
 * PostgreSQL killed with SIGKILL while the API writes (issue "Stay up under faults"): the process
 * stays up, data routes answer 503 with Retry-After (never 500), the supervised server comes back
 * and writes succeed again, and an idempotency key whose request died between the append and the
 * key's completion is never stuck: its retry answers the event that did land, once.
 */
jest.setTimeout(180_000);

describe('PostgreSQL killed under the API', () => {
  let pg: KillablePostgres;
  let app: NestExpressApplication;
  let store: PostgresEventStore;
  let pool: Pool;
  let token: string;
  /** When set, the next append kills the database right after it committed. */
  let killAfterNextAppend = false;

  beforeAll(async () => {
    pg = await startKillablePostgres();
    await ensureDatabase(pg.url, 'ledger');
    const url = withDatabase(pg.url, 'ledger');
    store = await PostgresEventStore.open({ connectionString: url, poolSize: 4 });
    pool = new Pool({ connectionString: url, max: 4 });
    pool.on('error', () => undefined);
    const killing: EventStore = Object.create(store) as EventStore;
    killing.appendToStream = async (stream, events, options) => {
      const result = await store.appendToStream(stream, events, options);
      if (killAfterNextAppend) {
        killAfterNextAppend = false;
        await pg.kill();
        await waitFor(async () => !(await reachable(pool)), { timeoutMs: 20_000, description: 'the killed server to refuse connections' });
      }
      return result;
    };
    app = await createApiApp({
      store: killing,
      pool,
      ruleBook: readRuleBook(),
      jwtSecret: TEST_SECRET,
      logLevel: 'silent',
      defaultMetrics: false,
      options: { idempotencyLeaseSeconds: 1 },
    });
    token = await signToken({ sub: 'e2e-admin', roles: ['admin'], units: ['*'] }, secretKey(TEST_SECRET));
    expect((await post('/v1/cadres', registration('c-fault'))).status).toBe(201);
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
    await pool?.end();
    await pg?.stop();
  });

  const post = (path: string, body: object, key?: string) => {
    let req = request(app.getHttpServer()).post(path).auth(token, { type: 'bearer' });
    if (key) req = req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const talk = (n: number) => ({ kind: 'reminder', reason: `提醒谈话 ${n}`, effectiveAt: '2020-01-01' });

  it('answers 503 with Retry-After while the database is down, and a key killed between append and completion is answered once after', async () => {
    const restartsBefore = pg.restarts();
    killAfterNextAppend = true;
    const first = await post('/v1/cadres/c-fault/talks', talk(1), 'talk-1');
    // The append committed; storing the key's answer failed: the client hears 503, not 500.
    expect(first.status).toBe(503);
    expect(first.headers['retry-after']).toMatch(/^\d+$/);
    expect(first.body).toMatchObject({ status: 503, type: 'urn:cadre-ledger:problem:service-unavailable' });

    // While it is down every data route is a 503, and the process answers.
    const down = await post('/v1/cadres/c-fault/talks', talk(2), 'talk-2');
    if (pg.restarts() === restartsBefore) expect(down.status).toBe(503);
    expect((await request(app.getHttpServer()).get('/health/live')).status).toBe(200);

    // The supervisor restarts it; writes succeed again.
    await waitFor(() => pg.restarts() > restartsBefore, { timeoutMs: 60_000, description: 'the supervised server to restart' });
    await waitFor(async () => (await request(app.getHttpServer()).get('/health')).status === 200, { timeoutMs: 60_000, description: 'readiness' });

    // The killed request's key is not stuck: once its lease ran out, the retry is answered with
    // the event that landed, and nothing is appended twice.
    let retry = await post('/v1/cadres/c-fault/talks', talk(1), 'talk-1');
    await waitFor(
      async () => {
        if (retry.status === 409) retry = await post('/v1/cadres/c-fault/talks', talk(1), 'talk-1'); // still leased
        return retry.status !== 409;
      },
      { timeoutMs: 10_000, description: 'the lease of the killed request to run out' },
    );
    expect(retry.status).toBe(201);
    const again = await post('/v1/cadres/c-fault/talks', talk(1), 'talk-1');
    expect(again.status).toBe(201);
    expect(again.body.eventId).toBe(retry.body.eventId);
    const history = await request(app.getHttpServer()).get('/v1/cadres/c-fault/history').auth(token, { type: 'bearer' });
    const talks = (history.body.events as { type: string; data: { reason: string }; eventId: string }[]).filter((e) => e.data.reason === '提醒谈话 1');
    expect(talks.map((e) => e.eventId)).toEqual([retry.body.eventId]);
  });

  it('survives a kill under concurrent writes: no 500, and every acknowledged write is kept', async () => {
    const acknowledged: string[] = [];
    const statuses = new Map<number, number>();
    let stop = false;
    const writer = async (w: number) => {
      for (let n = 0; !stop; n++) {
        const res = await post('/v1/cadres/c-fault/talks', talk(1000 * w + n), `load-${w}-${n}`);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 201) acknowledged.push(res.body.eventId as string);
        else if (res.status === 503) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    await waitFor(() => acknowledged.length >= 20, { timeoutMs: 30_000, description: 'writes before the kill' });
    const restartsBefore = pg.restarts();
    await pg.kill();
    await waitFor(() => (statuses.get(503) ?? 0) > 0 || pg.restarts() > restartsBefore, { timeoutMs: 30_000, description: 'a 503 during the outage' });
    await waitFor(() => pg.restarts() > restartsBefore, { timeoutMs: 60_000, description: 'the supervised server to restart' });
    const afterRestart = acknowledged.length;
    await waitFor(() => acknowledged.length >= afterRestart + 10, { timeoutMs: 60_000, description: 'writes after the restart' });
    stop = true;
    await Promise.all(writers);

    expect([...statuses.keys()].filter((s) => s >= 500 && s !== 503)).toEqual([]);
    const history = await request(app.getHttpServer()).get('/v1/cadres/c-fault/history').auth(token, { type: 'bearer' });
    const stored = new Set((history.body.events as { eventId: string }[]).map((e) => e.eventId));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    const verify = await request(app.getHttpServer()).get('/v1/audit/verify?cadreId=c-fault').auth(token, { type: 'bearer' });
    expect(verify.body.ok).toBe(true);
  });
});

async function reachable(pool: Pool): Promise<boolean> {
  try {
    await pool.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
