import type { NestExpressApplication } from '@nestjs/platform-express';
import { Pool } from 'pg';
import request from 'supertest';
import { EventStoreDbEventStore } from '@cadre-ledger/event-store/eventstoredb';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { createApiApp } from '../../apps/api/src/app';
import { secretKey, signToken } from '../../apps/api/src/auth/jwt';
import { startEsdbStandIn, type EsdbStandIn } from '../support/esdb-standin';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { deputy, position, registration, TEST_SECRET } from './support/test-api';

/**
 * EVENTSTORE_CONNECTION_STRING: the same API with EventStoreDB holding the events and PostgreSQL
 * only the API's own tables. Run against the repository's EventStoreDB stand-in (a gRPC test
 * double, see test/support/esdb-standin.ts), which proves the wiring, not the server.
 */
jest.setTimeout(120_000);

describe('the API on the EventStoreDB adapter', () => {
  let standIn: EsdbStandIn;
  let store: EventStoreDbEventStore;
  let db: TestDatabase;
  let pool: Pool;
  let app: NestExpressApplication;
  let admin: string;

  beforeAll(async () => {
    standIn = await startEsdbStandIn();
    store = EventStoreDbEventStore.fromConnectionString(standIn.connectionString);
    db = await createTestDatabase('esdb-api');
    pool = new Pool({ connectionString: db.url, max: 2 });
    app = await createApiApp({ store, pool, ruleBook: readRuleBook(), jwtSecret: TEST_SECRET, logLevel: 'silent', defaultMetrics: false });
    admin = await signToken({ sub: 'esdb-admin', roles: ['admin'], units: ['*'] }, secretKey(TEST_SECRET));
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await pool?.end();
    await db?.drop();
    await standIn?.close();
  });

  const http = () => request(app.getHttpServer());

  it('registers, demotes, refuses the promotion with its lock, and answers eligibility, history and verify', async () => {
    const registered = await http().post('/v1/cadres').auth(admin, { type: 'bearer' }).send(registration('e-001'));
    expect(registered.status).toBe(201);
    const demoted = await http()
      .post('/v1/cadres/e-001/adjustments')
      .auth(admin, { type: 'bearer' })
      .set('If-Match', '"0"')
      .send({ kind: 'demotion', newPosition: deputy, effectiveAt: '2019-03-15' });
    expect(demoted.status).toBe(201);
    expect(demoted.headers.etag).toBe('"1"');

    const stale = await http().post('/v1/cadres/e-001/cautions').auth(admin, { type: 'bearer' }).set('If-Match', '"0"').send({ reason: 'x', effectiveAt: '2020-01-01' });
    expect(stale.status).toBe(412);
    const refused = await http().post('/v1/cadres/e-001/promotions').auth(admin, { type: 'bearer' }).send({ newPosition: position, effectiveAt: '2020-06-01' });
    expect(refused.status).toBe(409);
    expect(refused.body.locks).toEqual([expect.objectContaining({ ruleId: 'CN-SN/NSX-16b', until: '2021-03-15' })]);

    const before = await http().get(`/v1/cadres/e-001/eligibility?asOf=2020-01-01&knownAt=${encodeURIComponent(registered.body.recordedAt)}`).auth(admin, { type: 'bearer' });
    expect(before.body).toMatchObject({ promotable: true });
    const after = await http().get(`/v1/cadres/e-001/eligibility?asOf=2020-01-01&knownAt=${encodeURIComponent(demoted.body.recordedAt)}`).auth(admin, { type: 'bearer' });
    expect(after.body).toMatchObject({ promotable: false });

    const history = await http().get('/v1/cadres/e-001/history').auth(admin, { type: 'bearer' });
    expect(history.body.events.map((e: { type: string; actor: string }) => `${e.type}:${e.actor}`)).toEqual(['CadreRegistered:esdb-admin', 'CadreAdjusted:esdb-admin']);
    expect((await http().get('/v1/audit/verify').auth(admin, { type: 'bearer' })).body).toMatchObject({ ok: true, checked: 2, streams: 1, findings: [] });
    expect((await http().get('/health')).body.checks).toEqual({ database: 'up', eventStore: 'up' });
  });

  it('keeps idempotency keys in PostgreSQL whatever holds the events', async () => {
    const body = { reason: '诫勉', effectiveAt: '2020-01-01' };
    const first = await http().post('/v1/cadres/e-001/cautions').auth(admin, { type: 'bearer' }).set('Idempotency-Key', 'esdb-1').send(body);
    const again = await http().post('/v1/cadres/e-001/cautions').auth(admin, { type: 'bearer' }).set('Idempotency-Key', 'esdb-1').send(body);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    expect((await http().get('/v1/cadres/e-001').auth(admin, { type: 'bearer' })).body.revision).toBe(first.body.revision);
    expect((await pool.query('SELECT count(*)::int AS n FROM api_idempotency_keys')).rows[0].n).toBe(1);
  });
});
