import { generateKeyPairSync } from 'node:crypto';
import { Pool } from 'pg';
import { TransparencyLog, loadSigningKey } from '@cadre-ledger/audit';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { post, register, startTestApi, type TestApi } from './support/test-api';

/**
 * Unit scope on the audit routes (issue: an admin limited to u-a got a u-b cadre's sanction from
 * GET /v1/audit/proof and saw u-b cadres in GET /v1/audit/access), and no answer that tells a unit
 * outside one's scope exists from one that does not (POST /v1/units under such a parent).
 */
jest.setTimeout(120_000);

describe('the audit routes within the caller\'s units', () => {
  let api: TestApi;
  let store: PostgresEventStore;
  let pool: Pool;
  let scoped: string;
  const events: Record<string, string> = {};

  beforeAll(async () => {
    const key = loadSigningKey({ pem: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() })!;
    api = await startTestApi('audit-scope', { publicKey: key.publicKey });
    store = await PostgresEventStore.open({ connectionString: api.db.url, poolSize: 2 });
    pool = new Pool({ connectionString: api.db.url, max: 2 });
    events.a = (await register(api, 'sa-1', 'u-a')).eventId;
    await register(api, 'sb-1', 'u-b');
    const sanction = await post(api, '/v1/cadres/sb-1/sanctions', { system: 'administrative', kind: 'demerit', effectiveAt: '2024-01-01' });
    expect(sanction.status).toBe(201);
    events.b = sanction.body.eventId;
    expect((await post(api, '/v1/units', { unitId: 'u-b', name: '乙县', level: 'county', jurisdiction: 'CN-SN', effectiveAt: '2010-01-01' })).status).toBe(201);
    await api.project();
    const log = new TransparencyLog(pool, store, store.hashAlgorithm);
    await log.catchUp();
    await log.signHead(key);
    scoped = await api.token(['admin'], ['u-a'], 'admin-of-u-a');
  });
  afterAll(async () => {
    await pool?.end();
    await store?.close();
    await api?.close();
  });

  const get = (path: string, token = scoped) => api.http().get(path).auth(token, { type: 'bearer' });

  it('GET /v1/audit/proof: an event of a cadre outside the units is answered as no such event', async () => {
    expect((await get(`/v1/audit/proof?eventId=${events.a}`)).status).toBe(200);
    const outside = await get(`/v1/audit/proof?eventId=${events.b}`);
    const unknown = await get('/v1/audit/proof?eventId=00000000-0000-4000-8000-000000000000');
    expect([outside.status, outside.body.type]).toEqual([404, 'urn:cadre-ledger:problem:not-found']);
    expect([unknown.status, unknown.body.type]).toEqual([404, 'urn:cadre-ledger:problem:not-found']);
    expect(JSON.stringify(outside.body)).not.toContain('sb-1');
    // The unscoped admin gets it.
    expect((await get(`/v1/audit/proof?eventId=${events.b}`, await api.token(['admin']))).status).toBe(200);
  });

  it('GET /v1/audit/access: only the reads of cadres within the units', async () => {
    const reader = await api.token(['admin'], ['*'], 'reader-everywhere');
    for (const cadreId of ['sa-1', 'sb-1']) expect((await get(`/v1/cadres/${cadreId}`, reader)).status).toBe(200);
    const seen = await get('/v1/audit/access?actor=reader-everywhere');
    expect(seen.body.items.map((i: { cadreId: string }) => i.cadreId)).toEqual(['sa-1']);
    expect((await get('/v1/audit/access?cadreId=sb-1')).body.items).toEqual([]);
    const everything = await get('/v1/audit/access?actor=reader-everywhere', await api.token(['auditor']));
    expect(everything.body.items.map((i: { cadreId: string }) => i.cadreId)).toEqual(['sa-1', 'sb-1']);
  });

  it('GET /v1/audit/digest names no cadre: the same head for every admin', async () => {
    const digest = await get('/v1/audit/digest');
    expect(digest.status).toBe(200);
    expect(digest.body).toEqual((await get('/v1/audit/digest', await api.token(['admin']))).body);
  });

  it('POST /v1/units under a parent outside the units: the same 404 whether that parent is registered or not, and nothing appended', async () => {
    const before = await api.eventCount();
    const under = (parentUnitId: string) =>
      api.http().post('/v1/units').auth(scoped, { type: 'bearer' }).send({ unitId: 'u-a', name: '甲县发改局', level: 'department', parentUnitId, jurisdiction: 'CN-SN', effectiveAt: '2012-01-01' });
    const real = await under('u-b');
    const unknown = await under('u-nowhere');
    expect([real.status, real.body.type]).toEqual([404, 'urn:cadre-ledger:problem:not-found']);
    expect([unknown.status, unknown.body.type]).toEqual([real.status, real.body.type]);
    expect(real.body.detail.replace('u-b', 'X')).toEqual(unknown.body.detail.replace('u-nowhere', 'X'));
    expect(await api.eventCount()).toBe(before);
  });
});
