import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { cliEnv, runLedger } from './support/ledger-cli';
import { countEvents, storedRows } from './support/ndjson';

jest.setTimeout(300_000);

/** What an import must reproduce: everything but the new store's recordedAt and global position. */
const portable = (ndjson: string) =>
  ndjson
    .trim()
    .split('\n')
    .map((line) => {
      const { recordedAt: _r, globalPosition: _g, ...rest } = JSON.parse(line);
      return rest;
    })
    .sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.revision - b.revision));

describe('ledger export → ledger import (child processes, PostgreSQL)', () => {
  let source: TestDatabase;
  let target: TestDatabase;
  const dir = mkdtempSync(join(tmpdir(), 'ledger-export-'));
  const file = join(dir, 'ledger.ndjson');
  let exported: string;

  beforeAll(async () => {
    source = await createTestDatabase('cli-export-src');
    target = await createTestDatabase('cli-export-dst');
    const demo = await runLedger(['demo', '--cadres', '9', '--seed', '11', '--json'], cliEnv(source.url));
    expect(demo.code).toBe(0);
  });
  afterAll(async () => {
    await source.drop();
    await target.drop();
  });

  it('exports every event in global order, one StoredEvent a line', async () => {
    const { code, stdout, stderr } = await runLedger(['export'], cliEnv(source.url));
    expect(code).toBe(0);
    exported = stdout;
    writeFileSync(file, exported);
    const lines = exported.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(await countEvents(source.url));
    const positions = lines.map((l) => l.globalPosition);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(positions.length);
    expect(Object.keys(lines[0]).sort()).toEqual(['actor', 'data', 'documentRef', 'effectiveAt', 'eventId', 'globalPosition', 'hash', 'hashFormat', 'prevHash', 'recordedAt', 'revision', 'schemaVersion', 'stream', 'type'].sort());
    expect(stderr).toContain(`exported ${lines.length} event(s)`);
  });

  it('exports only what follows --since', async () => {
    const lines = exported.trim().split('\n');
    const middle = JSON.parse(lines[Math.floor(lines.length / 2)]).globalPosition;
    const { code, stdout } = await runLedger(['export', '--since', String(middle)], cliEnv(source.url));
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual(lines.slice(Math.floor(lines.length / 2) + 1));
  });

  it('imports into an empty store reproducing identical streams and hashes', async () => {
    const { code, stdout } = await runLedger(['import', file, '--json'], cliEnv(target.url));
    expect(code).toBe(0);
    const total = exported.trim().split('\n').length;
    expect(JSON.parse(stdout)).toMatchObject({ lines: total, imported: total, alreadyStored: 0, refused: 0, stopped: false });

    const reexported = await runLedger(['export'], cliEnv(target.url));
    expect(portable(reexported.stdout)).toEqual(portable(exported));
    expect(await storedRows(target.url)).toEqual(await storedRows(source.url));
    const verify = await runLedger(['verify', '--json'], cliEnv(target.url));
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, events: total });
  });

  it('imports the same on worker threads, in small batches: identical streams and hashes', async () => {
    const threaded = await createTestDatabase('cli-export-threads');
    try {
      const { code, stdout } = await runLedger(['import', file, '--json', '--workers', '2', '--batch', '40'], cliEnv(threaded.url));
      expect(code).toBe(0);
      const total = exported.trim().split('\n').length;
      expect(JSON.parse(stdout)).toMatchObject({ lines: total, imported: total, alreadyStored: 0, refused: 0 });
      expect(portable((await runLedger(['export'], cliEnv(threaded.url))).stdout)).toEqual(portable(exported));
      // Again on threads: every line already stored.
      expect(JSON.parse((await runLedger(['import', file, '--json', '--workers', '2'], cliEnv(threaded.url))).stdout)).toMatchObject({ imported: 0, alreadyStored: total });
    } finally {
      await threaded.drop();
    }
  });

  it('is idempotent: importing the same file again appends nothing', async () => {
    const before = await countEvents(target.url);
    const { code, stdout } = await runLedger(['import', file, '--json'], cliEnv(target.url));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ imported: 0, alreadyStored: before, refused: 0 });
    expect(await countEvents(target.url)).toBe(before);
  });
});
