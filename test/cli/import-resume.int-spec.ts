import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { waitFor } from '../support/wait-for';
import { cliEnv, runLedger, spawnLedger } from './support/ledger-cli';
import { countEvents, reviewedCadres, writeNdjson } from './support/ndjson';

jest.setTimeout(300_000);

describe('ledger import killed midway, then run again (child process, PostgreSQL)', () => {
  let db: TestDatabase;
  const file = join(mkdtempSync(join(tmpdir(), 'ledger-resume-')), 'facts.ndjson');
  const lines = reviewedCadres(600, 20);

  beforeAll(async () => {
    db = await createTestDatabase('cli-import-resume');
    writeNdjson(file, lines);
  });
  afterAll(() => db.drop());

  it('resumes where it stopped and stores nothing twice', async () => {
    const env = cliEnv(db.url);
    const first = spawnLedger(['import', file, '--batch', '50'], env);
    // Kill it as soon as the store shows progress: small batches leave most of the file unread.
    await waitFor(async () => (await countEvents(db.url)) > 0, { timeoutMs: 120_000, description: 'the first import batches to be stored', intervalMs: 5, maxIntervalMs: 20 });
    first.child.kill('SIGKILL');
    const killed = await first.result;
    expect(killed.signal).toBe('SIGKILL');
    const storedAtKill = await countEvents(db.url);
    expect(storedAtKill).toBeGreaterThan(0);
    expect(storedAtKill).toBeLessThan(lines.length);

    const second = await runLedger(['import', file, '--json'], env);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ lines: lines.length, alreadyStored: storedAtKill, imported: lines.length - storedAtKill, refused: 0 });
    expect(second.stderr).toMatch(/progress: \d+ facts done/);

    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ events: string; ids: string; streams: string; gaps: string }>(`
        SELECT count(*) AS events, count(DISTINCT event_id) AS ids, count(DISTINCT stream) AS streams,
               count(*) FILTER (WHERE revision <> rank - 1) AS gaps
        FROM (SELECT event_id, stream, revision, row_number() OVER (PARTITION BY stream ORDER BY revision) AS rank FROM ledger_events) e`);
      expect(rows[0]).toEqual({ events: String(lines.length), ids: String(lines.length), streams: '600', gaps: '0' });
    } finally {
      await client.end();
    }
    const verify = await runLedger(['verify'], env);
    expect(verify.code).toBe(0);
  });
});
