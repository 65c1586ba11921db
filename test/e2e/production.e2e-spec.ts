import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { findFreePort } from '@cadre-ledger/platform';
import { readModelMigrations } from '@cadre-ledger/projections';
import { secretKey, signToken } from '../../apps/api/src/auth/jwt';
import { readDockerfile } from '../support/dockerfile';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { waitFor } from '../support/wait-for';

/**
 * What the image runs, without a container engine: `npm run build`, then a directory laid out as
 * the image's /app (dist/, bin/ledger.js, package.json, and `npm ci --omit=dev`: production
 * dependencies only), started with the Dockerfile's own CMD and ENV (the data dir and port moved
 * to temporary ones, DATABASE_URL given as a deployment gives it). It answers /health, the CLI
 * runs compiled, and SIGTERM drains: a request in flight is answered, the projector's checkpoint
 * reaches the last event, and the process exits 0.
 */
jest.setTimeout(300_000);

const ROOT = resolve(__dirname, '../..');
const run = promisify(execFile);
const SECRET = 'a-production-secret-of-at-least-32-chars';

describe('the production build, as the image runs it', () => {
  let app: string;
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    await run('npm', ['run', 'build'], { cwd: ROOT, timeout: 180_000 });
    app = await mkdtemp(join(tmpdir(), 'cadre-ledger-image-'));
    await cp(join(ROOT, 'dist'), join(app, 'dist'), { recursive: true });
    await mkdir(join(app, 'bin'));
    await cp(join(ROOT, 'bin', 'ledger.js'), join(app, 'bin', 'ledger.js'));
    for (const file of ['package.json', 'package-lock.json']) await cp(join(ROOT, file), join(app, file));
    // From npm's cache, which the checkout's own `npm ci` filled.
    await run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, timeout: 180_000 });
    db = await createTestDatabase('production');
    const image = readDockerfile(join(ROOT, 'Dockerfile'));
    env = {
      PATH: process.env.PATH,
      ...image.env,
      LEDGER_DATA_DIR: join(app, 'data'),
      LEDGER_HEADS_FILE: join(app, 'data', 'heads.ndjson'),
      PORT: String(await findFreePort()),
      DATABASE_URL: db.url,
      LEDGER_JWT_SECRET: SECRET,
      LOG_LEVEL: 'warn',
    };
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await db?.drop();
    if (app) await rm(app, { recursive: true, force: true });
  });

  it('has no TypeScript and no development dependency in the layout it runs from', async () => {
    const { stdout } = await run('npm', ['ls', '--omit=dev', '--parseable', '--all'], { cwd: app });
    expect(stdout).not.toMatch(/node_modules\/(ts-node|typescript|jest|tsconfig-paths|kafka-crab-js)$/m);
    await expect(run(process.execPath, ['-e', 'require.resolve("ts-node")'], { cwd: app })).rejects.toThrow();
  });

  it('serves /health from compiled code with the image\'s command and environment, and drains on SIGTERM', async () => {
    const image = readDockerfile(join(ROOT, 'Dockerfile'));
    expect(image.env).toMatchObject({ HOST: '0.0.0.0', NODE_ENV: 'production' });
    const [command, ...args] = image.cmd;
    expect(command).toBe('node');
    const output: string[] = [];
    child = spawn(process.execPath, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((done) => child?.on('exit', (code) => done(code)));
    const url = `http://127.0.0.1:${env.PORT}`;
    await waitFor(
      async () => {
        if (child?.exitCode !== null) throw new Error(`the API exited:\n${output.join('')}`);
        return (await fetch(`${url}/health`)).status === 200;
      },
      { timeoutMs: 120_000, description: 'the compiled API to answer /health', maxIntervalMs: 500 },
    );
    expect(output.join('')).toContain('listening on every interface');

    const token = await signToken({ sub: 'ops', roles: ['admin'], units: ['*'] }, secretKey(SECRET));
    const registered = await fetch(`${url}/v1/cadres`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ cadreId: 'prod-1', name: '高峰', unitId: 'sx-fgw', jurisdiction: 'CN-SN', position: { title: '局长', level: 'county-chief', leadership: true, principal: true }, effectiveAt: '2020-01-01' }),
    });
    expect(registered.status).toBe(201);
    // The dashboard and its chart library come with the build and the production dependencies.
    const page = await fetch(`${url}/dashboard`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/dashboard/vendor/echarts.min.js');
    expect((await fetch(`${url}/dashboard/vendor/echarts.min.js`)).status).toBe(200);
    // The PDF dossier from compiled code (the font is the machine's, as in the image).
    const pdf = await fetch(`${url}/v1/nominations/dossier`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/pdf' },
      body: JSON.stringify({ cadreIds: ['prod-1'], asOf: '2024-01-01' }),
    });
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');

    // A request in flight when SIGTERM arrives: headers sent, half the body still to come.
    const body = JSON.stringify({ reason: '履职不力', effectiveAt: '2024-01-05' });
    const socket = connect(Number(env.PORT), '127.0.0.1');
    await new Promise<void>((done) => socket.once('connect', () => done()));
    const answer = new Promise<string>((done) => {
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => done(text));
    });
    socket.write(`POST /v1/cadres/prod-1/cautions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
    socket.write(body.slice(0, 10));
    await waitFor(async () => (await fetch(`${url}/health/live`)).ok, { timeoutMs: 10_000, description: 'the server to have the request' });
    child.kill('SIGTERM');
    await waitFor(async () => output.join('').includes('SIGTERM received'), { timeoutMs: 10_000, description: 'the signal to be handled' });
    // New connections are refused once it drains; the one in flight is still answered.
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
    socket.write(body.slice(10));
    expect(await answer).toMatch(/^HTTP\/1\.1 201 /);
    expect(await exited).toBe(0);

    // The projector committed its checkpoint at the end of what was stored before it stopped.
    const pool = new Pool({ connectionString: db.url, max: 1 });
    try {
      const { rows } = await pool.query<{ head: string; checkpoint: string }>(
        `SELECT (SELECT max(global_position) FROM ledger_events)::text AS head, (SELECT position FROM projection_checkpoints WHERE name = 'read-models')::text AS checkpoint`,
      );
      expect(rows[0].checkpoint).toBe(rows[0].head);
      // The caution answered during the drain is in the read model (and the clock's mark of its ended lock after it).
      const projected = await pool.query<{ revision: string; stream: string }>(
        `SELECT e.revision::text, (SELECT max(revision) FROM ledger_events WHERE stream = 'cadre-prod-1')::text AS stream FROM reporting.cadre_eligibility e WHERE cadre_id = 'prod-1'`,
      );
      expect(projected.rows).toHaveLength(1);
      expect(Number(projected.rows[0].revision)).toBeGreaterThanOrEqual(1);
      expect(projected.rows[0].revision).toBe(projected.rows[0].stream);
    } finally {
      await pool.end();
    }
  });

  it('runs the compiled CLI: the configuration check, and migrations', async () => {
    const config = await run(process.execPath, ['bin/ledger.js', 'config', '--json'], { cwd: app, env });
    const shown = JSON.parse(config.stdout) as { variables: { name: string; value: string }[] };
    expect(shown.variables.find((v) => v.name === 'HOST')?.value).toBe('0.0.0.0');
    expect(JSON.stringify(shown)).not.toContain(SECRET);
    const migrate = await run(process.execPath, ['bin/ledger.js', 'migrate', '--json'], { cwd: app, env });
    expect(JSON.parse(migrate.stdout)).toMatchObject({ versions: { api: expect.any(Number), 'read-models': readModelMigrations[readModelMigrations.length - 1].version, audit: expect.any(Number) } });
    const bad = await run(process.execPath, ['bin/ledger.js', 'config'], { cwd: app, env: { ...env, PORT: 'eighty', LOG_LEVEL: 'loud' } }).catch((error: { code: number; stderr: string }) => error);
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr).toMatch(/PORT must be a whole number[\s\S]*LOG_LEVEL must be one of/);
  });

  it('takes in the example workbook with the compiled CLI (its reading thread is part of the build)', async () => {
    const imported = await run(process.execPath, ['bin/ledger.js', 'import', join(ROOT, 'docs', 'import', '示例.xlsx'), '--json'], { cwd: app, env: { ...env, LEDGER_ACTOR: 'prod-hr' } });
    const report = JSON.parse(imported.stdout) as { rows: number; imported: number; alreadyStored: number; problems: unknown[] };
    expect(report.problems).toEqual([]);
    expect(report.rows).toBeGreaterThan(0);
    expect(report.imported + report.alreadyStored).toBe(report.rows);
  });
});
