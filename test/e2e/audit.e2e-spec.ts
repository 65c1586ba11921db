import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { Client, Pool } from 'pg';
import { TransparencyLog, checkConsistency, checkInclusion, loadSigningKey, verifyHead, type SigningKey } from '@cadre-ledger/audit';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { post, register, startTestApi, type TestApi } from './support/test-api';

jest.setTimeout(120_000);

/**
 * The audit endpoints over HTTP (API.md, "Read audit", and the tamper-evidence additions): the
 * read audit of profile, eligibility and history reads; who may read it; the published key; the
 * digest, inclusion and consistency proofs, each checked with nothing but the answer and the key.
 */
describe('audit over HTTP', () => {
  let api: TestApi;
  let key: SigningKey;
  let log: TransparencyLog;
  let store: PostgresEventStore;
  let pool: Pool;
  let admin: string;
  let auditor: string;

  beforeAll(async () => {
    key = loadSigningKey({ pem: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() })!;
    api = await startTestApi('audit', { publicKey: key.publicKey });
    admin = await api.token(['admin']);
    auditor = await api.token(['auditor'], ['*'], 'auditor-李');
    // The log and its heads, built as the follow process builds them.
    store = await PostgresEventStore.open({ connectionString: api.db.url, poolSize: 2 });
    pool = new Pool({ connectionString: api.db.url, max: 2 });
    log = new TransparencyLog(pool, store, store.hashAlgorithm);
    await register(api, 'a-001');
    await register(api, 'a-002');
  });
  afterAll(async () => {
    await pool?.end();
    await store?.close();
    await api?.close();
  });

  const signNow = async () => {
    await log.catchUp();
    return log.signHead(key);
  };

  it('records each read of profile, eligibility and history, before it answers, with who and which route', async () => {
    const reader = await api.token(['organization'], ['*'], 'hr-王');
    for (const path of ['/v1/cadres/a-001', '/v1/cadres/a-001/eligibility', '/v1/cadres/a-001/history']) {
      expect((await api.http().get(path).auth(reader, { type: 'bearer' })).status).toBe(200);
    }
    const page = await api.http().get('/v1/audit/access').query({ cadreId: 'a-001', actor: 'hr-王' }).auth(auditor, { type: 'bearer' });
    expect(page.status).toBe(200);
    expect(page.body.items.map((i: { what: string; via: string }) => `${i.what} ${i.via}`)).toEqual([
      'profile GET /v1/cadres/{cadreId}',
      'eligibility GET /v1/cadres/{cadreId}/eligibility',
      'history GET /v1/cadres/{cadreId}/history',
    ]);
    expect(page.body.items[0]).toMatchObject({ actor: 'hr-王', cadreId: 'a-001', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) });
    expect(page.body.nextCursor).toBeNull();
  });

  it('lets only auditors and admins read the access records', async () => {
    for (const roles of [['dashboard'], ['organization'], ['assessment'], ['discipline']]) {
      const res = await api.http().get('/v1/audit/access').auth(await api.token(roles), { type: 'bearer' });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    expect((await api.http().get('/v1/audit/access')).status).toBe(401);
    expect((await api.http().get('/v1/audit/access').auth(admin, { type: 'bearer' })).status).toBe(200);
    expect((await api.http().get('/v1/audit/access').query({ from: 'yesterday' }).auth(admin, { type: 'bearer' })).status).toBe(400);
  });

  it('pages the access records with a cursor', async () => {
    const reader = await api.token(['organization'], ['*'], 'pager');
    for (let i = 0; i < 3; i++) await api.http().get('/v1/cadres/a-002').auth(reader, { type: 'bearer' });
    const first = await api.http().get('/v1/audit/access').query({ actor: 'pager', limit: 2 }).auth(auditor, { type: 'bearer' });
    expect(first.body.items).toHaveLength(2);
    const second = await api.http().get('/v1/audit/access').query({ actor: 'pager', limit: 2, cursor: first.body.nextCursor }).auth(auditor, { type: 'bearer' });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
  });

  it('fails a read it cannot record with 503, and does not answer it', async () => {
    const client = new Client({ connectionString: api.db.url });
    await client.connect();
    try {
      await client.query('ALTER TABLE ledger_access_log RENAME TO ledger_access_log_away');
      const res = await api.http().get('/v1/cadres/a-001').auth(admin, { type: 'bearer' });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ type: 'urn:cadre-ledger:problem:access-not-recorded', status: 503 });
      expect(res.body.name).toBeUndefined(); // no profile in the answer
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
    } finally {
      await client.query('ALTER TABLE ledger_access_log_away RENAME TO ledger_access_log');
      await client.end();
    }
    expect((await api.http().get('/v1/cadres/a-001').auth(admin, { type: 'bearer' })).status).toBe(200);
  });

  it('publishes the public key without a token, and the latest signed head to auditors', async () => {
    expect((await api.http().get('/v1/audit/digest').auth(auditor, { type: 'bearer' })).status).toBe(404);
    const head = await signNow();
    const published = await api.http().get('/v1/audit/public-key');
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ keyId: key.keyId, algorithm: 'Ed25519' });
    const digest = await api.http().get('/v1/audit/digest').auth(auditor, { type: 'bearer' });
    expect(digest.status).toBe(200);
    expect(digest.body).toMatchObject({ ...head, key: { keyId: key.keyId } });
    expect(verifyHead(digest.body, createPublicKey(published.body.publicKey))).toBe(true);
    expect((await api.http().get('/v1/audit/digest').auth(await api.token(['dashboard']), { type: 'bearer' })).status).toBe(403);
  });

  it('gives an inclusion proof that checks with only the proof, the event and the public key; its read is recorded', async () => {
    const registered = await register(api, 'a-003');
    const before = await api.http().get('/v1/audit/proof').query({ eventId: registered.eventId }).auth(auditor, { type: 'bearer' });
    expect([404, 409]).toContain(before.status); // not in the log yet, or after the newest head
    const head = (await signNow())!;
    const res = await api.http().get('/v1/audit/proof').query({ eventId: registered.eventId, digest: head.rootHash }).auth(auditor, { type: 'bearer' });
    expect(res.status).toBe(200);
    const publicKey = createPublicKey((await api.http().get('/v1/audit/public-key')).body.publicKey);
    expect(checkInclusion(res.body.event, res.body, publicKey)).toEqual({ ok: true });
    expect(checkInclusion({ ...res.body.event, effectiveAt: '2014-01-01' }, res.body, publicKey)).toMatchObject({ ok: false });
    const access = await api.http().get('/v1/audit/access').query({ cadreId: 'a-003', actor: 'auditor-李' }).auth(auditor, { type: 'bearer' });
    expect(access.body.items).toEqual([expect.objectContaining({ what: 'history', via: 'GET /v1/audit/proof' })]);
    expect((await api.http().get('/v1/audit/proof').query({ eventId: 'not-an-id' }).auth(auditor, { type: 'bearer' })).status).toBe(400);
  });

  it('proves two signed heads consistent', async () => {
    const first = (await api.http().get('/v1/audit/digest').auth(auditor, { type: 'bearer' })).body;
    await post(api, '/v1/cadres/a-001/talks', { kind: 'reminder', reason: '提醒谈话', effectiveAt: '2021-03-01' });
    const second = (await signNow())!;
    const res = await api.http().get('/v1/audit/consistency').query({ from: first.treeSize, to: second.treeSize }).auth(auditor, { type: 'bearer' });
    expect(res.status).toBe(200);
    expect(checkConsistency(res.body, key.publicKey)).toEqual({ ok: true });
    expect(checkConsistency({ ...res.body, from: { ...res.body.from, rootHash: second.rootHash } }, key.publicKey)).toMatchObject({ ok: false });
    expect((await api.http().get('/v1/audit/consistency').query({ from: 999, to: second.treeSize }).auth(auditor, { type: 'bearer' })).status).toBe(404);
  });

  it('verifies incrementally by default and fully on request, both sound here', async () => {
    const incremental = await api.http().get('/v1/audit/verify').auth(auditor, { type: 'bearer' });
    expect(incremental.body).toMatchObject({ ok: true, mode: 'incremental', findings: [], uncovered: 0 });
    const full = await api.http().get('/v1/audit/verify').query({ full: 'true' }).auth(auditor, { type: 'bearer' });
    expect(full.body).toMatchObject({ ok: true, mode: 'full', checked: await api.eventCount(), findings: [], uncovered: 0 });
  });
});
