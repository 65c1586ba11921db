import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { behindTheStore } from '../support/behind-the-store';
import { cliEnv, runLedger } from './support/ledger-cli';
import { writeKnownHistory } from './support/known-history';

jest.setTimeout(180_000);

interface Finding {
  kind: string;
  stream?: string;
  revision?: number;
  eventId?: string;
  detail: string;
}

/**
 * `ledger verify`, `ledger digest`, `ledger proof` and `ledger check-proof` as an auditor runs them:
 * a head saved outside the database, then changes made in PostgreSQL behind the store's back (with
 * the append-only triggers off, as a superuser could), each reported with exit 1 naming what.
 */
describe('ledger verify, digest and proofs (child process, PostgreSQL)', () => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let publicKeyFile: string;
  let headFile: string;

  const json = async (args: string[], expectedCode = 0) => {
    const run = await runLedger(args, env);
    if (run.code !== expectedCode) throw new Error(`ledger ${args.join(' ')} exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
    return JSON.parse(run.stdout);
  };
  const verify = (expectedCode: number) => json(['verify', '--json', '--digest', headFile, '--public-key', publicKeyFile], expectedCode);

  /** Runs SQL with the triggers off, checks, and puts every event back as it was. */
  async function tampered(sql: string, params: unknown[], check: (findings: Finding[]) => void | Promise<void>): Promise<void> {
    await behindTheStore(db.url, sql, params, async () => {
      const report = await verify(1);
      expect(report.ok).toBe(false);
      await check(report.findings);
    });
  }

  const eventOf = async (stream: string, revision: number): Promise<{ eventId: string; recordedAt: string }> => {
    const pool = new Pool({ connectionString: db.url, max: 1 });
    try {
      const { rows } = await pool.query<{ event_id: string; recorded_at: Date }>('SELECT event_id, recorded_at FROM ledger_events WHERE stream = $1 AND revision = $2', [stream, revision]);
      return { eventId: rows[0].event_id, recordedAt: rows[0].recorded_at.toISOString() };
    } finally {
      await pool.end();
    }
  };

  beforeAll(async () => {
    db = await createTestDatabase('cli-verify');
    await writeKnownHistory(db.url, 'c-001');
    await writeKnownHistory(db.url, 'c-002');
    dir = mkdtempSync(join(tmpdir(), 'ledger-verify-'));
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'signing.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
    publicKeyFile = join(dir, 'ledger.pub');
    writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }).toString());
    env = cliEnv(db.url, { LEDGER_SIGNING_KEY_FILE: join(dir, 'signing.pem'), LEDGER_ACTOR: 'auditor-张' });
    // The auditor saves the digest outside the database.
    headFile = join(dir, 'head.json');
    const digest = await runLedger(['digest'], env);
    expect(digest.code).toBe(0);
    writeFileSync(headFile, digest.stdout);
  });
  afterAll(() => db.drop());

  it('signs a digest covering everything stored, and verifies against it: exit 0, nothing uncovered', async () => {
    const head = JSON.parse(readFileSync(headFile, 'utf8'));
    expect(head).toMatchObject({ log: 'cadre-ledger', treeSize: 6, hashAlgorithm: 'sha256', key: { algorithm: 'Ed25519', publicKey: readFileSync(publicKeyFile, 'utf8') } });
    const report = await verify(0);
    expect(report).toMatchObject({ ok: true, mode: 'full', events: 6, streams: 2, formats: { 'v2-sha256': 6 }, headsChecked: 1, digests: 1, uncovered: 0, signaturesChecked: true, findings: [] });
    const table = await runLedger(['verify', '--digest', headFile, '--public-key', publicKeyFile], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('intact');
    expect(table.stderr).toContain(`checked against the key from ${publicKeyFile}`);
  });

  it('reports recorded_at moved three years back (it changes every knownAt answer) naming stream, revision and eventId', async () => {
    const target = await eventOf('cadre-c-001', 2);
    await tampered("UPDATE ledger_events SET recorded_at = recorded_at - interval '3 years' WHERE stream = 'cadre-c-001' AND revision = 2", [], (findings) => {
      expect(findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'leaf-altered', stream: 'cadre-c-001', revision: 2, eventId: target.eventId }), expect.objectContaining({ kind: 'digest-mismatch' })]));
    });
  });

  it('reports a changed field of the data, with the table naming the stream and revision', async () => {
    const forged = { kind: 'transfer-out', newPosition: { title: '调研员', level: 'county-chief', leadership: false, principal: false } };
    await tampered("UPDATE ledger_events SET data = $1 WHERE stream = 'cadre-c-002' AND revision = 1", [JSON.stringify(forged)], async (findings) => {
      expect(findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'chain-broken', stream: 'cadre-c-002', revision: 1 })]));
      const table = await runLedger(['verify', '--digest', headFile, '--public-key', publicKeyFile], env);
      expect(table.code).toBe(1);
      expect(table.stdout).toMatch(/│ chain-broken\s+│ cadre-c-002\s+│ 1\s+│/);
      const one = await json(['verify', '--cadre', 'c-002', '--json'], 1);
      expect(one).toMatchObject({ ok: false, cadreId: 'c-002', brokenAt: { stream: 'cadre-c-002', revision: 1 } });
      expect((await runLedger(['verify', '--cadre', 'c-001'], env)).code).toBe(0);
    });
  });

  it('reports the last event of a stream deleted, and a whole stream deleted', async () => {
    expect((await verify(0)).ok).toBe(true);
    const tail = await eventOf('cadre-c-002', 2);
    await tampered("DELETE FROM ledger_events WHERE stream = 'cadre-c-002' AND revision = 2", [], (findings) => {
      expect(findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'event-deleted', stream: 'cadre-c-002', revision: 2, eventId: tail.eventId }), expect.objectContaining({ kind: 'digest-mismatch' })]));
    });
    await tampered("DELETE FROM ledger_events WHERE stream = 'cadre-c-001'", [], (findings) => {
      const deleted = findings.filter((f) => f.kind === 'event-deleted');
      expect(deleted.map((f) => `${f.stream}@${f.revision}`)).toEqual(['cadre-c-001@0', 'cadre-c-001@1', 'cadre-c-001@2']);
    });
    expect((await verify(0)).ok).toBe(true);
  });

  it('reports events after the newest head as not yet covered, without failing', async () => {
    await writeKnownHistory(db.url, 'c-003');
    const report = await json(['verify', '--json', '--digest', headFile, '--public-key', publicKeyFile], 0);
    expect(report).toMatchObject({ ok: true, events: 9, uncovered: 3 });
    const text = await runLedger(['verify', '--digest', headFile, '--public-key', publicKeyFile], env);
    expect(text.stderr).toContain('3 event(s) after the newest signed head');
  });

  it('gives an inclusion proof that checks offline with only the proof and the public key, and fails for a changed event or another key', async () => {
    const { eventId } = await eventOf('cadre-c-001', 1);
    const proof = await json(['proof', eventId, '--digest', headFile]);
    expect(proof).toMatchObject({ head: { treeSize: 6 }, event: { eventId, stream: 'cadre-c-001', revision: 1 } });
    const proofFile = join(dir, 'proof.json');
    writeFileSync(proofFile, JSON.stringify(proof));
    const held = await runLedger(['check-proof', proofFile, '--public-key', publicKeyFile, '--digest', headFile], { ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(held.code).toBe(0);
    expect(held.stdout).toContain(`proof holds: event ${eventId}`);

    writeFileSync(join(dir, 'moved.json'), JSON.stringify({ ...proof, event: { ...proof.event, recordedAt: '2023-01-01T00:00:00.000000Z' } }));
    const moved = await json(['check-proof', join(dir, 'moved.json'), '--public-key', publicKeyFile, '--json'], 1);
    expect(moved.problem).toContain('does not lead from this event to the signed root');
    writeFileSync(join(dir, 'other.pub'), generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString());
    const other = await json(['check-proof', proofFile, '--public-key', join(dir, 'other.pub'), '--json'], 1);
    expect(other.problem).toContain('not signed by this key');
  });

  it('records the CLI\'s reads of personal data in the read audit: replay, proof, export', async () => {
    expect((await runLedger(['replay', 'c-002'], env)).code).toBe(0);
    expect((await runLedger(['export'], env)).code).toBe(0);
    const pool = new Pool({ connectionString: db.url, max: 1 });
    try {
      const { rows } = await pool.query<{ actor: string; cadre_id: string; what: string; via: string }>('SELECT actor, cadre_id, what, via FROM ledger_access_log ORDER BY seq');
      expect(rows).toEqual(
        expect.arrayContaining([
          { actor: 'auditor-张', cadre_id: 'c-001', what: 'history', via: 'ledger proof' },
          { actor: 'auditor-张', cadre_id: 'c-002', what: 'replay', via: 'ledger replay' },
          ...['c-001', 'c-002', 'c-003'].map((cadreId) => ({ actor: 'auditor-张', cadre_id: cadreId, what: 'export', via: 'ledger export' })),
        ]),
      );
    } finally {
      await pool.end();
    }
    // The read audit is itself checked, and still intact.
    expect(await json(['verify', '--json', '--public-key', publicKeyFile])).toMatchObject({ ok: true, accessRecords: 5 });
  });

  it('exits 1 for a cadre with no stream, and 2 for a file that is not a head', async () => {
    const { code, stderr } = await runLedger(['verify', '--cadre', 'nobody'], env);
    expect(code).toBe(1);
    expect(stderr).toContain('no cadre nobody');
    writeFileSync(join(dir, 'junk.json'), '{"treeSize": "many"}');
    const junk = await runLedger(['verify', '--digest', join(dir, 'junk.json')], env);
    expect(junk.code).toBe(2);
    expect(junk.stderr).toContain('not a signed tree head');
  });
});
