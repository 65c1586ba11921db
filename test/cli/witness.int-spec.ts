import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import {
  checkpointNote,
  formatVkey,
  loadSigningKey,
  logNoteKey,
  newestCheckpoint,
  noteKey,
  NOTE_COSIGNATURE_V1,
  originHash,
  parseVkey,
  startTransparencyLog,
  startWitness,
  type RunningWitness,
  type SigningKey,
  type StoredCheckpoint,
  type TransparencyLogRuntime,
} from '@cadre-ledger/audit';
import { chainHash, GENESIS_HASH, PostgresEventStore, type EventStore, type HashFormat } from '@cadre-ledger/event-store';
import { waitUntil } from '@cadre-ledger/platform';
import { specVerify } from '../support/c2sp-verifier';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { cliEnv, runLedger, spawnLedger } from './support/ledger-cli';
import { writeKnownHistory } from './support/known-history';

jest.setTimeout(180_000);

const ORIGIN = 'zzb.sx.example/cadre-ledger';

/**
 * The bar for witnesses: two witnesses — one in this process, one run as
 * `ledger witness serve` — cosign the ledger's checkpoints as it grows; an inclusion proof checks
 * offline only against a checkpoint the policy's quorum cosigned; and after the operator rewrites
 * history in PostgreSQL and re-signs the heads with the ledger's own key, both witnesses refuse the
 * new checkpoint and `ledger verify --witness-policy` (2 of 2) fails, naming the last cosigned size.
 */
describe('witnesses of other organs (C2SP tlog-witness), as an auditor runs them', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let key: SigningKey;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let jw: RunningWitness;
  let sj: { child: ReturnType<typeof spawnLedger>; url: string; vkey: string; stateDir: string };
  let jwState: string;
  let runtime: TransparencyLogRuntime;
  let policyFile: string;
  let logVkey: string;
  let eventId: string;

  const startLog = async () =>
    startTransparencyLog({
      pool,
      store,
      key,
      headIntervalMs: 3_600_000,
      checkpoints: {
        origin: ORIGIN,
        witnesses: [
          { key: jw.key, url: jw.url },
          { key: parseVkey(sj.vkey), url: sj.url },
        ],
        retryMs: 60_000,
      },
    });
  /** Takes in what was appended, signs a head, and waits for the witnesses' answers. */
  const flushed = async (): Promise<StoredCheckpoint> => {
    await runtime.flush();
    await runtime.witnessing!.idle();
    return (await newestCheckpoint(pool))!;
  };
  const json = async (args: string[], expectedCode: number) => {
    const run = await runLedger(args, env);
    if (run.code !== expectedCode) throw new Error(`ledger ${args.join(' ')} exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
    return JSON.parse(run.stdout);
  };

  beforeAll(async () => {
    db = await createTestDatabase('witness');
    pool = new Pool({ connectionString: db.url, max: 3 });
    pool.on('error', () => undefined);
    store = await PostgresEventStore.open({ connectionString: db.url, poolSize: 2 });
    dir = mkdtempSync(join(tmpdir(), 'ledger-witness-'));
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(join(dir, 'signing.pem'), pem, { mode: 0o600 });
    key = loadSigningKey({ pem })!;
    env = cliEnv(db.url, { LEDGER_SIGNING_KEY_FILE: join(dir, 'signing.pem'), LEDGER_LOG_ORIGIN: ORIGIN, LEDGER_ACTOR: 'auditor-审计' });
    logVkey = formatVkey(logNoteKey(ORIGIN, key.publicKey));
    // The 纪委监委's witness in this process; the 审计厅's as the command an operator runs.
    jwState = join(dir, 'jw');
    jw = await startWitness({ stateDir: jwState, name: 'jw.sx.example/witness', privateKey: generateKeyPairSync('ed25519').privateKey, logs: [logNoteKey(ORIGIN, key.publicKey)], port: 0 });
    const sjState = join(dir, 'sj');
    const child = spawnLedger(['witness', 'serve', '--state-dir', sjState, '--name', 'sj.sx.example/witness', '--log', logVkey, '--port', '0'], env);
    const started = await waitUntil(() => /listening on (http:\/\/\S+)/.exec(child.output().stderr)?.[1] && child.output().stdout.includes('\n') ? child.output() : null, { timeoutMs: 30_000, description: 'ledger witness serve to listen' });
    sj = { child, url: /listening on (http:\/\/\S+)/.exec(started.stderr)![1], vkey: started.stdout.trim(), stateDir: sjState };
    policyFile = join(dir, 'policy.txt');
    writeFileSync(
      policyFile,
      [
        '# 陕西省委组织部的干部监督台账, witnessed by the 纪委监委 and the 审计厅',
        `log ${logVkey}`,
        `witness 纪委 ${jw.vkey} ${jw.url}`,
        `witness 审计 ${sj.vkey} ${sj.url}`,
        'group both all 纪委 审计',
        'quorum both',
        '',
      ].join('\n'),
    );
    runtime = await startLog();
  });
  afterAll(async () => {
    await runtime?.stop();
    sj?.child.child.kill('SIGTERM');
    await sj?.child.result;
    await jw?.close();
    await store?.close();
    await pool?.end();
    await db?.drop();
  });

  it('lists serve under ledger witness, and prints the same vkey from the key it keeps', async () => {
    const help = await runLedger(['witness', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^\s+serve\b/m);
    const vkey = await runLedger(['witness', 'vkey', '--state-dir', sj.stateDir, '--name', 'sj.sx.example/witness'], env);
    expect(vkey.stdout.trim()).toBe(sj.vkey);
  });

  it('gets both witnesses\' cosignatures on every checkpoint as the ledger grows, each checking with a verifier written from the specification', async () => {
    [{ eventId }] = await writeKnownHistory(db.url, 'w-001');
    const first = await flushed();
    expect(first.treeSize).toBe(3);
    const checked = specVerify(checkpointNote(first), [logVkey, jw.vkey, sj.vkey]);
    expect(checked.verified.map((v) => v.name).sort()).toEqual([ORIGIN, 'jw.sx.example/witness', 'sj.sx.example/witness'].sort());
    await writeKnownHistory(db.url, 'w-002');
    const second = await flushed();
    expect(second.treeSize).toBe(6);
    expect(specVerify(checkpointNote(second), [logVkey, jw.vkey, sj.vkey]).verified).toHaveLength(3);
    expect(runtime.witnessing!.status().map((s) => [s.state, s.cosignedSize])).toEqual([['up', 6], ['up', 6]]);
    // Each witness says so itself (the monitoring path), whatever the ledger's database holds.
    for (const url of [jw.url, sj.url]) expect(specVerify(await (await fetch(`${url}/${originHash(ORIGIN)}/checkpoint`)).text(), [logVkey, jw.vkey, sj.vkey]).size).toBe(6);
    const report = await json(['verify', '--witness-policy', policyFile, '--json'], 0);
    expect(report).toMatchObject({ ok: true, signaturesChecked: true, publicKey: `${policyFile} (log ${ORIGIN})`, witnesses: { quorum: '2 of 2 (纪委, 审计)', lastCosignedSize: 6, unwitnessed: 0 } });
  });

  it('checks an inclusion proof offline only against a checkpoint the log signed and the policy\'s quorum cosigned', async () => {
    const proofFile = join(dir, 'proof.json');
    const proof = await json(['proof', eventId], 0);
    expect(proof.checkpoint).toContain(`${ORIGIN}\n${proof.head.treeSize}\n`);
    writeFileSync(proofFile, JSON.stringify(proof));
    expect((await runLedger(['check-proof', proofFile, '--witness-policy', policyFile], env)).stdout).toMatch(/^proof holds: event /);
    // One cosignature taken out: 1 of 2 is not the quorum.
    const oneWitness = { ...proof, checkpoint: proof.checkpoint.split('\n').filter((line: string) => !line.startsWith('— sj.sx.example/')).join('\n') };
    writeFileSync(join(dir, 'one.json'), JSON.stringify(oneWitness));
    const refused = await runLedger(['check-proof', join(dir, 'one.json'), '--witness-policy', policyFile], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('the quorum is 2 of 2 (纪委, 审计)');
    // A policy that also asks a third organ's witness, which never cosigned.
    const third = formatVkey(noteKey('xc.sx.example/witness', NOTE_COSIGNATURE_V1, generateKeyPairSync('ed25519').privateKey));
    writeFileSync(join(dir, 'three.txt'), `log ${logVkey}\nwitness 纪委 ${jw.vkey}\nwitness 审计 ${sj.vkey}\nwitness 巡视 ${third}\ngroup all3 all 纪委 审计 巡视\nquorum all3\n`);
    expect((await runLedger(['check-proof', proofFile, '--witness-policy', join(dir, 'three.txt')], env)).code).toBe(1);
  });

  it('after the operator rewrites history and re-signs it with the ledger\'s key: both witnesses refuse, and verify --witness-policy fails naming the last cosigned size', async () => {
    await runtime.stop();
    await rewriteAndResign(db.url, store, 'cadre-w-001');
    await writeKnownHistory(db.url, 'w-003');
    runtime = await startLog();
    const third = await flushed();
    expect(third.treeSize).toBe(9);
    expect(third.cosignatures).toEqual([]);
    expect(runtime.witnessing!.status()).toEqual([expect.objectContaining({ state: 'refused', lastError: expect.stringMatching(/^422: the consistency proof from size 6/) }), expect.objectContaining({ state: 'refused' })]);
    // Each kept the log's signed but inconsistent checkpoint as evidence.
    for (const state of [jwState, sj.stateDir]) expect(readdirSync(join(state, 'evidence')).length).toBeGreaterThan(0);
    // Without witnesses the rewrite passes: every head is signed by the key and matches the events.
    writeFileSync(join(dir, 'ledger.pub'), key.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(await json(['verify', '--public-key', join(dir, 'ledger.pub'), '--json'], 0)).toMatchObject({ ok: true, findings: [] });
    // With the auditors' policy it fails, from what the witnesses themselves keep (the table was emptied).
    const report = await json(['verify', '--witness-policy', policyFile, '--json'], 1);
    expect(report.witnesses).toMatchObject({ lastCosignedSize: 6, accepted: [expect.objectContaining({ treeSize: 6, source: expect.stringContaining('witness') })] });
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'witness-mismatch', treeSize: 6, detail: expect.stringContaining('cosigned at tree size 6') })]);
    const text = await runLedger(['verify', '--witness-policy', policyFile], env);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('witness-mismatch');
    expect(text.stderr).toContain('tree size 6');
  });
});

/**
 * What an operator with the database and the signing key can do: change a fact, chain the stream's
 * hashes again, drop the log, its heads and the checkpoints, and let the ledger rebuild and re-sign
 * them with its own key (`startLog` after this). Every head then matches the events.
 */
async function rewriteAndResign(url: string, store: EventStore, stream: string): Promise<void> {
  const events = await store.readStream(stream);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL session_replication_role = 'replica'");
    let prevHash = GENESIS_HASH;
    for (const event of events) {
      const data = event.revision === 1 ? { ...event.data, kind: 'transfer-out' } : event.data;
      const hash = chainHash(prevHash, { ...event, data }, event.hashFormat as HashFormat);
      await client.query('UPDATE ledger_events SET data = $1, prev_hash = $2, hash = $3 WHERE global_position = $4', [JSON.stringify(data), prevHash, hash, event.globalPosition]);
      prevHash = hash;
    }
    for (const table of ['ledger_cosignatures', 'ledger_checkpoints', 'ledger_tree_heads', 'ledger_log_leaves', 'ledger_log_nodes', 'ledger_verifications']) await client.query(`DELETE FROM ${table}`);
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}
