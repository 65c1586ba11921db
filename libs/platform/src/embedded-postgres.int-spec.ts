import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { findFreePort } from './free-port';

jest.setTimeout(180_000);

const run = promisify(execFile);
const repository = resolve(__dirname, '../../..');

/** Starts the embedded server in a child process (see test/support/embedded-postgres-child.ts). */
async function inChild(env: Record<string, string>, ...sql: string[]): Promise<{ url: string; rows: unknown[] }> {
  const { stdout } = await run(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'test/support/embedded-postgres-child.ts', ...sql],
    { cwd: repository, env: { ...process.env, DATABASE_URL: '', ...env }, timeout: 120_000 },
  );
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as { url: string; rows: unknown[] };
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
});
