import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { cliEnv, runLedger } from './support/ledger-cli';
import { writeKnownHistory } from './support/known-history';

jest.setTimeout(120_000);

describe('ledger rebuild (child process, PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createTestDatabase('cli-rebuild');
    await writeKnownHistory(db.url, 'c-001');
    await writeKnownHistory(db.url, 'c-002');
    pool = new Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('builds the read models from the store, swaps them in and reports progress', async () => {
    const { code, stdout, stderr } = await runLedger(['rebuild', '--json'], cliEnv(db.url));
    expect({ code, stderr }).toMatchObject({ code: 0 });
    expect(JSON.parse(stdout)).toMatchObject({ events: 6, position: expect.any(Number) });
    expect(stderr).toMatch(/progress: \d+ events/);
    const { rows } = await pool.query('SELECT cadre_id FROM reporting.cadre_eligibility ORDER BY cadre_id');
    expect(rows.map((r) => r.cadre_id)).toEqual(['c-001', 'c-002']);
    const checkpoint = await pool.query("SELECT position FROM projection_checkpoints WHERE name = 'read-models'");
    expect(Number(checkpoint.rows[0].position)).toBe(JSON.parse(stdout).position);

    const again = await runLedger(['rebuild'], cliEnv(db.url));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('rebuilt the read models from 6 events');
  });
});
