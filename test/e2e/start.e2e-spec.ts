import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { parsePublicKey, verifyHead, type TreeHead } from '@cadre-ledger/audit';
import { findFreePort } from '@cadre-ledger/platform';
import { secretKey, signToken } from '../../apps/api/src/auth/jwt';
import { startEsdbStandIn } from '../support/esdb-standin';
import { createTestDatabase } from '../support/test-database';
import { waitFor } from '../support/wait-for';
import { healthy, start, stop, type Started } from '../support/npm-start';

/**
 * `npm start` as an operator runs it, on a fresh data dir: embedded PostgreSQL, a generated
 * secret and admin token, /health; then SIGTERM, a second start on the same data dir, and the
 * data (events and idempotency keys) found again.
 */
jest.setTimeout(240_000);

describe('npm start', () => {
  let dataDir: string;
  let running: Started | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cadre-ledger-start-'));
  });
  afterAll(async () => {
    if (running) await stop(running).catch(() => running?.child.kill('SIGKILL'));
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts with zero set-up, and a second start on the same data dir finds the data', async () => {
    const env = { LEDGER_DATA_DIR: dataDir, PORT: String(await findFreePort()), EMBEDDED_PG_PORT: String(await findFreePort()), LEDGER_HEAD_INTERVAL_SECONDS: '1' };
    const url = `http://127.0.0.1:${env.PORT}`;

    running = start(env);
    await healthy(url, running);
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    const token = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    expect(running.output.join('')).toContain('admin-token');

    const body = JSON.stringify({ cadreId: 's-001', name: '王芳', unitId: 'sx-fgw', jurisdiction: 'CN-SN', position: { title: '处长', level: 'county-chief', leadership: true, principal: true }, effectiveAt: '2018-01-01' });
    const first = await fetch(`${url}/v1/cadres`, { method: 'POST', headers: { ...auth, 'Idempotency-Key': 'register-s-001' }, body });
    expect(first.status).toBe(201);
    const firstBody = await first.json();

    expect(await stop(running)).toBe(0);
    running = undefined;

    running = start(env);
    await healthy(url, running);
    const token2 = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();
    const profile = await fetch(`${url}/v1/cadres/s-001`, { headers: { Authorization: `Bearer ${token2}` } });
    expect(profile.status).toBe(200);
    expect(await profile.json()).toMatchObject({ cadreId: 's-001', name: '王芳', revision: 0 });
    // The first token still works: the secret was kept in the data dir.
    expect((await fetch(`${url}/v1/cadres/s-001`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    // The idempotency key survived the restart: the replay answers the first response and appends nothing.
    const replay = await fetch(`${url}/v1/cadres`, { method: 'POST', headers: { ...auth, 'Idempotency-Key': 'register-s-001' }, body });
    expect(replay.status).toBe(201);
    expect(await replay.json()).toEqual(firstBody);
    // A tree head is signed within LEDGER_HEAD_INTERVAL_SECONDS of the append, with the key generated
    // into the data dir, and written to the heads file; verify then finds nothing uncovered.
    expect(existsSync(join(dataDir, 'signing-key.pem'))).toBe(true);
    const digest = await waitFor(
      async () => {
        const answer = await fetch(`${url}/v1/audit/digest`, { headers: { Authorization: `Bearer ${token2}` } });
        const head = answer.status === 200 ? ((await answer.json()) as { treeSize: number; signature: string }) : null;
        return head && head.treeSize === 1 ? head : null;
      },
      { timeoutMs: 30_000, description: 'a signed tree head covering the first event', maxIntervalMs: 250 },
    );
    const published = (await (await fetch(`${url}/v1/audit/public-key`)).json()) as { publicKey: string };
    expect(verifyHead(digest as unknown as TreeHead, parsePublicKey(published.publicKey))).toBe(true);
    const heads = (await readFile(join(dataDir, 'heads.ndjson'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as TreeHead);
    expect(digest).toMatchObject(heads.at(-1)!);
    const verify = await fetch(`${url}/v1/audit/verify`, { headers: { Authorization: `Bearer ${token2}` } });
    expect(await verify.json()).toMatchObject({ ok: true, checked: 1, streams: 1, findings: [], uncovered: 0 });
    // The profile reads above are in the read audit, with who and through which route.
    const access = (await (await fetch(`${url}/v1/audit/access?cadreId=s-001`, { headers: { Authorization: `Bearer ${token2}` } })).json()) as { items: { what: string; via: string; actor: string }[] };
    expect(access.items.filter((item) => item.what === 'profile')).toHaveLength(2);
    expect(access.items[0]).toMatchObject({ actor: 'admin', via: 'GET /v1/cadres/{cadreId}' });

    // The projector and the clock run in the same process: a backdated transfer-out whose lock has
    // already ended gets its InfluencePeriodEnded, and the read models answer /v1/eligibility and /v1/stats.
    const write = (path: string, payload: object) => fetch(`${url}${path}`, { method: 'POST', headers: auth, body: JSON.stringify(payload) });
    const moved = { title: '调研员', level: 'county-chief', leadership: true, principal: false };
    expect((await write('/v1/cadres/s-001/adjustments', { kind: 'transfer-out', newPosition: moved, effectiveAt: '2024-01-10' })).status).toBe(201);
    expect((await write('/v1/cadres/s-001/cautions', { reason: '督查发现问题', effectiveAt: '2026-10-01' })).status).toBe(201);
    const listed = await waitFor(
      async () => {
        const page = (await (await fetch(`${url}/v1/eligibility?unitId=sx-fgw`, { headers: auth })).json()) as { items: { cadreId: string; locks: { ruleId: string }[] }[]; nextCursor: string | null };
        const history = (await (await fetch(`${url}/v1/cadres/s-001/history`, { headers: auth })).json()) as { events: { type: string }[] };
        const marked = history.events.some((e) => e.type === 'InfluencePeriodEnded');
        return marked && page.items[0]?.locks.length === 1 ? page : null;
      },
      { timeoutMs: 60_000, description: 'the read model and the clock to catch up', maxIntervalMs: 500 },
    );
    expect(listed).toMatchObject({ items: [{ cadreId: 's-001', promotable: false, locks: [{ ruleId: 'CN/JM-caution' }] }], nextCursor: null });
    // Projection lag per read model, in events and seconds, on /metrics: none once caught up.
    const metrics = await waitFor(
      async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        return /ledger_projection_lag_events\{read_model="cadre_eligibility"\} 0\n/.test(text) ? text : null;
      },
      { timeoutMs: 30_000, description: 'the projection lag to reach 0', maxIntervalMs: 500 },
    );
    expect(metrics).toMatch(/ledger_projection_lag_seconds\{read_model="mechanism_stats"\} 0\n/);
    const stats = await (await fetch(`${url}/v1/stats?year=2024`, { headers: auth })).json();
    expect(stats).toMatchObject({ year: 2024, incentive: 0, tolerance: 0, adjustment: 1, locksActive: 1, pendingToleranceCases: 0, openReviewTriggers: 0, pendingAdjustmentCases: 0 });

    expect(await stop(running)).toBe(0);
    running = undefined;
  });

  it('restarts its embedded PostgreSQL after a kill -9 during writes: no crash, 503 meanwhile, writes again after', async () => {
    const faultDir = await mkdtemp(join(tmpdir(), 'cadre-ledger-start-kill-'));
    try {
      const env = { LEDGER_DATA_DIR: faultDir, PORT: String(await findFreePort()), EMBEDDED_PG_PORT: String(await findFreePort()) };
      const url = `http://127.0.0.1:${env.PORT}`;
      running = start(env);
      await healthy(url, running);
      const token = (await readFile(join(faultDir, 'admin-token'), 'utf8')).trim();
      const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      const write = (path: string, payload: object, key: string) =>
        fetch(`${url}${path}`, { method: 'POST', headers: { ...auth, 'Idempotency-Key': key }, body: JSON.stringify(payload) });
      const register = { cadreId: 'k-001', name: '李明', unitId: 'sx-fgw', jurisdiction: 'CN-SN', position: { title: '处长', level: 'county-chief', leadership: true, principal: true }, effectiveAt: '2018-01-01' };
      expect((await write('/v1/cadres', register, 'k-register')).status).toBe(201);

      const statuses: number[] = [];
      const acknowledged = new Set<string>();
      let stopWriting = false;
      const writer = (async () => {
        for (let n = 0; !stopWriting; n++) {
          const res = await write('/v1/cadres/k-001/talks', { kind: 'reminder', reason: `谈话 ${n}`, effectiveAt: '2020-01-01' }, `k-talk-${n}`).catch(() => null);
          statuses.push(res?.status ?? 0);
          if (res?.status === 201) acknowledged.add(((await res.json()) as { eventId: string }).eventId);
          else await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      await waitFor(() => acknowledged.size >= 5, { timeoutMs: 30_000, description: 'writes before the kill' });
      const postmaster = Number((await readFile(join(faultDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
      process.kill(postmaster, 'SIGKILL');
      await waitFor(() => statuses.includes(503), { timeoutMs: 30_000, description: 'a 503 while PostgreSQL is down' });
      const before = acknowledged.size;
      await waitFor(() => acknowledged.size >= before + 5, { timeoutMs: 60_000, description: 'writes to succeed again after the restart' });
      stopWriting = true;
      await writer;

      expect(running.child.exitCode).toBeNull(); // still up
      expect(statuses.filter((s) => s >= 500 && s !== 503)).toEqual([]);
      expect(running.output.join('')).toContain('restarted');
      const history = (await (await fetch(`${url}/v1/cadres/k-001/history`, { headers: auth })).json()) as { events: { eventId: string }[] };
      const stored = new Set(history.events.map((e) => e.eventId));
      expect([...acknowledged].filter((id) => !stored.has(id))).toEqual([]);
      expect(await stop(running)).toBe(0);
      running = undefined;
    } finally {
      await rm(faultDir, { recursive: true, force: true });
    }
  });

  it('uses DATABASE_URL instead of starting PostgreSQL, and EVENTSTORE_CONNECTION_STRING for the events', async () => {
    const db = await createTestDatabase('npm-start-external');
    const standIn = await startEsdbStandIn();
    const otherDir = await mkdtemp(join(tmpdir(), 'cadre-ledger-start-external-'));
    try {
      const env = {
        LEDGER_DATA_DIR: otherDir,
        PORT: String(await findFreePort()),
        DATABASE_URL: db.url,
        EVENTSTORE_CONNECTION_STRING: standIn.connectionString,
        LEDGER_JWT_SECRET: 'a-secret-given-by-the-operator-000',
      };
      const url = `http://127.0.0.1:${env.PORT}`;
      running = start(env);
      await healthy(url, running);
      expect(existsSync(join(otherDir, 'postgres'))).toBe(false);
      expect(existsSync(join(otherDir, 'admin-token'))).toBe(false);
      const token = await signToken({ sub: 'operator', roles: ['admin'], units: ['*'] }, secretKey(env.LEDGER_JWT_SECRET));
      const res = await fetch(`${url}/v1/cadres`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'ext-1' },
        body: JSON.stringify({ cadreId: 'x-001', name: '赵强', unitId: 'sx-fgw', jurisdiction: 'CN', position: { title: '科长', level: 'township-chief', leadership: true, principal: true }, effectiveAt: '2018-01-01' }),
      });
      expect(res.status).toBe(201);
      // The event went to EventStoreDB, the idempotency key to the external PostgreSQL.
      expect(standIn.calls.Append + standIn.calls.BatchAppend).toBeGreaterThan(0);
      const pool = new Pool({ connectionString: db.url, max: 1 });
      try {
        expect((await pool.query("SELECT to_regclass('ledger_events') AS t")).rows[0].t).toBeNull();
        expect((await pool.query('SELECT count(*)::int AS n FROM api_idempotency_keys')).rows[0].n).toBe(1);
      } finally {
        await pool.end();
      }
      expect(await stop(running)).toBe(0);
      running = undefined;
    } finally {
      await standIn.close();
      await db.drop();
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});
