import { createTestDatabase, tamperWithStoredEvent, type TestDatabase } from '../support/test-database';
import { cliEnv, runLedger } from './support/ledger-cli';
import { writeKnownHistory } from './support/known-history';

jest.setTimeout(120_000);

describe('ledger verify (child process, PostgreSQL)', () => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    db = await createTestDatabase('cli-verify');
    await writeKnownHistory(db.url, 'c-001');
    await writeKnownHistory(db.url, 'c-002');
    env = cliEnv(db.url);
  });
  afterAll(() => db.drop());

  it('recomputes every chain, says what it checked and exits 0 while nothing was altered', async () => {
    const { code, stdout } = await runLedger(['verify', '--json'], env);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ ok: true, streams: 2, events: 6, broken: [] });
    const table = await runLedger(['verify'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('every hash chain intact');
    expect(table.stdout).toMatch(/│ 2\s+│ 6\s+│/);
  });

  it('exits 1 naming the stream and revision of a row altered directly in PostgreSQL', async () => {
    // The events table refuses UPDATE; the helper switches its trigger off for one transaction, as
    // someone with superuser access to the database could.
    await tamperWithStoredEvent(db.url, 'cadre-c-002', 1, { kind: 'transfer-out', newPosition: { title: '调研员', level: 'county-chief', leadership: false, principal: false } });

    const all = await runLedger(['verify', '--json'], env);
    expect(all.code).toBe(1);
    const report = JSON.parse(all.stdout);
    expect(report).toMatchObject({ ok: false, streams: 2, events: 6 });
    expect(report.broken).toEqual([expect.objectContaining({ stream: 'cadre-c-002', revision: 1, reason: 'content does not match its hash' })]);

    const table = await runLedger(['verify'], env);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain('ALTERED');
    expect(table.stdout).toMatch(/│ cadre-c-002\s+│ 1\s+│/);

    const one = await runLedger(['verify', '--cadre', 'c-002', '--json'], env);
    expect(one.code).toBe(1);
    expect(JSON.parse(one.stdout).broken[0]).toMatchObject({ stream: 'cadre-c-002', revision: 1 });
    const intact = await runLedger(['verify', '--cadre', 'c-001'], env);
    expect(intact.code).toBe(0);
  });

  it('exits 1 for a cadre with no stream', async () => {
    const { code, stderr } = await runLedger(['verify', '--cadre', 'nobody'], env);
    expect(code).toBe(1);
    expect(stderr).toContain('no cadre nobody');
  });
});
