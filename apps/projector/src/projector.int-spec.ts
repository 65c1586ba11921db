import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import { delimiter, join, resolve } from 'node:path';
import { Pool } from 'pg';
import { Ledger } from '@cadre-ledger/application';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { waitUntil } from '@cadre-ledger/platform';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { startProjectorProcess } from './projector';
import { startMockKafka } from '../../../test/support/kafka/mock-cluster';

jest.setTimeout(120_000);
const ROOT = resolve(__dirname, '../../..');

let db: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  db = await createTestDatabase('projector-app');
  dataDir = mkdtempSync(join(tmpdir(), 'projector-app-'));
});
afterAll(async () => {
  await db.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the projector service', () => {
  it('follows the store on its own and keeps the read models', async () => {
    const logs: string[] = [];
    const running = await startProjectorProcess({ DATABASE_URL: db.url, LEDGER_DATA_DIR: dataDir, LEDGER_HEAD_INTERVAL_SECONDS: '1', LEDGER_PROJECTOR_PORT: '0' }, (line) => logs.push(line));
    const store = await PostgresEventStore.open({ connectionString: db.url });
    const pool = new Pool({ connectionString: db.url, max: 2 });
    try {
      const ledger = new Ledger({ store, ruleBook: readRuleBook(), now: () => new Date(), newEventId: randomUUID });
      await ledger.executeCadreCommand('p-1', {
        type: 'RegisterCadre',
        data: { cadreId: 'p-1', name: '罗军', unitId: 'hm-fgj', jurisdiction: 'CN-JS-HM', position: { title: '局长', level: 'county-chief', leadership: true, principal: true }, effectiveAt: '2020-01-01' },
        metadata: { actor: 'org' },
      });
      await ledger.executeCadreCommand('p-1', { type: 'IssueCaution', data: { reason: '会风不正', effectiveAt: '2026-10-20' }, metadata: { actor: 'org' } });
      const row = await waitUntil(async () => {
        const { rows } = await pool.query<{ promotable: boolean; revision: string }>('SELECT promotable, revision FROM reporting.cadre_eligibility WHERE cadre_id = $1', ['p-1']);
        return rows[0]?.revision === '1' ? rows[0] : null;
      }, { timeoutMs: 30_000, description: 'the projector service to project p-1' });
      expect(row.promotable).toBe(false);
      expect(logs).toContain('cadre-ledger projector: following the store');
    // The follow process keeps the ledger-wide log and signs its heads, into the configured data dir.
    await waitUntil(async () => ((await pool.query('SELECT 1 FROM ledger_tree_heads')).rowCount ?? 0) > 0 && existsSync(join(dataDir, 'heads.ndjson')), { timeoutMs: 30_000, description: 'a signed tree head in the database and the heads file' });
    expect(existsSync(join(dataDir, 'signing-key.pem'))).toBe(true);
    // What an orchestrator and Prometheus ask of it.
    const base = `http://127.0.0.1:${running.operationsPort}`;
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok', live: true, ready: true, checks: { database: 'up', eventStore: 'up' } });
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^ledger_projection_lag_events\{mode="follow"\} 0$/m);
    } finally {
      await running.stop();
      await pool.end();
      await store.close();
    }
  });

  it('splits the work in kafka-group mode: the follow process relays and runs the clock, the replicas project', async () => {
    const kafka = await startMockKafka(1);
    const split = await createTestDatabase('projector-split');
    const dir = mkdtempSync(join(tmpdir(), 'projector-split-'));
    const env = { DATABASE_URL: split.url, LEDGER_DATA_DIR: dir, LEDGER_PROJECTOR_PORT: '0', KAFKA_BROKERS: kafka.brokers.join(','), LEDGER_READ_MODELS_BY: 'kafka-group', KAFKA_GROUP_ID: `split-${randomUUID()}` };
    const logs: string[] = [];
    const follow = await startProjectorProcess({ ...env, PROJECTOR_MODE: 'follow' }, (line) => logs.push(line));
    const replica = await startProjectorProcess({ ...env, PROJECTOR_MODE: 'kafka-group' }, (line) => logs.push(line));
    const store = await PostgresEventStore.open({ connectionString: split.url });
    const pool = new Pool({ connectionString: split.url, max: 2 });
    try {
      const ledger = new Ledger({ store, ruleBook: readRuleBook(), now: () => new Date(), newEventId: randomUUID });
      await ledger.executeCadreCommand('s-1', {
        type: 'RegisterCadre',
        data: { cadreId: 's-1', name: '韩梅', unitId: 'hm-fgj', jurisdiction: 'CN', position: { title: '局长', level: 'county-chief', leadership: true, principal: true }, effectiveAt: '2020-01-01' },
        metadata: { actor: 'org' },
      });
      // Backdated: the lock has already ended, so the clock marks it at once.
      await ledger.executeCadreCommand('s-1', { type: 'AdjustCadre', data: { kind: 'transfer-out', newPosition: { title: '调研员', level: 'county-chief', leadership: false, principal: false }, effectiveAt: '2023-01-10' }, metadata: { actor: 'org' } });
      const row = await waitUntil(async () => {
        const { rows } = await pool.query<{ promotable: boolean; revision: string }>('SELECT promotable, revision FROM reporting.cadre_eligibility WHERE cadre_id = $1', ['s-1']);
        return rows[0]?.revision === '2' ? rows[0] : null;
      }, { timeoutMs: 60_000, description: 'the replica to project s-1 with the clock\'s mark' });
      expect(row.promotable).toBe(true);
      expect((await store.readStream('cadre-s-1')).map((e) => e.type)).toEqual(['CadreRegistered', 'CadreAdjusted', 'InfluencePeriodEnded']);
      // The follow process projected nothing: the read models' own checkpoint was never written.
      expect((await pool.query("SELECT name FROM projection_checkpoints WHERE name = 'read-models'")).rowCount).toBe(0);
      expect((await pool.query("SELECT name FROM clock_checkpoints")).rows).toEqual([{ name: 'influence-clock' }]);
      expect(logs.some((line) => line.includes('the consumer-group replicas project the read models'))).toBe(true);
      // Kafka in the follow process's readiness, and its relay on /metrics.
      const base = `http://127.0.0.1:${follow.operationsPort}`;
      expect(await (await fetch(`${base}/health`)).json()).toMatchObject({ ready: true, checks: { database: 'up', eventStore: 'up', kafka: 'up' } });
      await waitUntil(async () => /^ledger_kafka_relay_lag_events 0$/m.test(await (await fetch(`${base}/metrics`)).text()), { timeoutMs: 30_000, description: 'the relay to catch up' });
    } finally {
      await replica.stop();
      await follow.stop();
      await pool.end();
      await store.close();
      await split.drop();
      await kafka.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs as the `start:projector` script and stops cleanly on SIGTERM', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url, LEDGER_DATA_DIR: dataDir, LEDGER_PROJECTOR_PORT: '0', PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}` };
    delete env.KAFKA_BROKERS;
    // The script itself, exec'd by a shell as npm would run it, so that SIGTERM reaches the process.
    const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start:projector'];
    const child = spawn('sh', ['-c', `exec ${script}`], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    await waitUntil(() => output.join('').includes('following the store'), { timeoutMs: 60_000, description: 'the projector service to start' });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
