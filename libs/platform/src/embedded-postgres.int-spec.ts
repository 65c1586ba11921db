import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { findFreePort } from './free-port';

jest.setTimeout(180_000);

const run = promisify(execFile);
const repository = resolve(__dirname, '../../..');

/** Starts the embedded server in a child process (see test/support/embedded-postgres-child.ts). */
async function inChild(env: Record<string, string>, ...sql: string[]): Promise<{ url: string; rows: unknown[]; passwordAccepted?: boolean }> {
  const { stdout } = await run(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'test/support/embedded-postgres-child.ts', ...sql],
    { cwd: repository, env: { ...process.env, DATABASE_URL: '', ...env }, timeout: 120_000 },
  );
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as { url: string; rows: unknown[]; passwordAccepted?: boolean };
}

describe('embedded PostgreSQL', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cadre-ledger-embedded-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts on the configured data directory and port, stops cleanly, and keeps its data for the next start', async () => {
    const port = await findFreePort();
    const env = { EMBEDDED_PG_DATA_DIR: join(dir, 'data'), EMBEDDED_PG_PORT: String(port), EMBEDDED_PG_PASSWORD: 'pw' };

    const first = await inChild(env, 'CREATE TABLE survives_restart (note text)', "INSERT INTO survives_restart VALUES ('持久')");
    expect(first.url).toContain(`:${port}/cadre_ledger`);
    // Stopped: nothing listens on the port any more.
    const client = new Client({ connectionString: first.url });
    client.on('error', () => undefined);
    await expect(client.connect()).rejects.toThrow();

    const second = await inChild(env, 'SELECT note FROM survives_restart', "SELECT current_setting('synchronous_commit') AS sync");
    expect(second.rows).toEqual([{ note: '持久' }, { sync: 'on' }]);
  });

  it('generates its password on first start (kept beside the cluster, 0600), and moves a cluster with the old fixed password to a generated one', async () => {
    const port = await findFreePort();
    const cluster = join(dir, 'data');
    const env = { EMBEDDED_PG_DATA_DIR: cluster, EMBEDDED_PG_PORT: String(port) };
    // A cluster created the old way: password "postgres", no password file.
    await inChild({ ...env, EMBEDDED_PG_PASSWORD: 'postgres' }, 'SELECT 1');
    expect(existsSync(`${cluster}.password`)).toBe(false);

    const rotated = await inChild({ ...env, CHECK_PASSWORD: 'postgres' }, 'SELECT 1 AS up');
    expect(rotated).toMatchObject({ rows: [{ up: 1 }], passwordAccepted: false });
    const password = (await readFile(`${cluster}.password`, 'utf8')).trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect((await stat(`${cluster}.password`)).mode & 0o777).toBe(0o600);
    expect(rotated.url).toContain(`:${password}@`);

    // The next start reads the kept password.
    expect(await inChild({ ...env, CHECK_PASSWORD: password }, 'SELECT 2 AS up')).toMatchObject({ rows: [{ up: 2 }], passwordAccepted: true });

    // A new cluster never has the fixed password at all.
    const fresh = { EMBEDDED_PG_DATA_DIR: join(dir, 'fresh'), EMBEDDED_PG_PORT: String(port), CHECK_PASSWORD: 'postgres' };
    expect(await inChild(fresh, 'SELECT 3 AS up')).toMatchObject({ rows: [{ up: 3 }], passwordAccepted: false });
    expect(existsSync(join(dir, 'fresh.password'))).toBe(true);
  });
});
