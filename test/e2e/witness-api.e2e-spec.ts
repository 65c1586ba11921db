import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOTE_COSIGNATURE_V1, formatVkey, logNoteKey, loadSigningKey, noteKey, splitNotes, startWitness, type RunningWitness } from '@cadre-ledger/audit';
import { findFreePort, loadConfig, waitUntil } from '@cadre-ledger/platform';
import { startServer, type RunningServer } from '../../apps/api/src/bootstrap';
import { secretKey, signToken } from '../../apps/api/src/auth/jwt';
import { specVerify } from '../support/c2sp-verifier';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

jest.setTimeout(120_000);

const SECRET = 'witness-e2e-secret-long-enough-for-hs256';
const ORIGIN = 'zzb.sx.example/cadre-ledger';

/**
 * The server as configured (LEDGER_LOG_ORIGIN, LEDGER_WITNESSES): `GET /v1/audit/checkpoint`
 * without a token, a signed note with the witnesses' cosignatures, checked by a verifier written
 * from the C2SP specifications with the vkey `GET /v1/audit/public-key` publishes; one witness down
 * stops no write and no readiness, shows in /metrics and the health details, and is asked again.
 */
describe('checkpoints and witnesses over HTTP', () => {
  let db: TestDatabase;
  let server: RunningServer;
  let jw: RunningWitness;
  let sj: RunningWitness | undefined;
  let sjPort: number;
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-witness-e2e-'));
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const logKey = logNoteKey(ORIGIN, loadSigningKey({ pem })!.publicKey);
  const sjKey = generateKeyPairSync('ed25519').privateKey;
  const startSj = () => startWitness({ stateDir: join(dataDir, 'sj'), name: 'sj.sx.example/witness', privateKey: sjKey, logs: [logKey], port: sjPort });
  let token: string;

  const get = (path: string, auth = false) => fetch(`${server.url}${path}`, auth ? { headers: { Authorization: `Bearer ${token}` } } : {});
  const register = (cadreId: string) =>
    fetch(`${server.url}/v1/cadres`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ cadreId, name: '王芳', unitId: 'sx-fgw', jurisdiction: 'CN-SN', position: { title: '处长', level: 'county-chief', leadership: true, principal: true }, effectiveAt: '2018-01-01' }),
    });
  const witnessesInHealth = async () => ((await (await get('/health')).json()) as { details: { witnesses: { witness: string; state: string; failures: number }[] } }).details.witnesses;

  beforeAll(async () => {
    db = await createTestDatabase('witness-api');
    jw = await startWitness({ stateDir: join(dataDir, 'jw'), name: 'jw.sx.example/witness', privateKey: generateKeyPairSync('ed25519').privateKey, logs: [logKey], port: 0 });
    // The 审计厅's witness is down at first: nothing listens on its port yet.
    sjPort = await findFreePort();
    const sjVkey = formatVkey(noteKey('sj.sx.example/witness', NOTE_COSIGNATURE_V1, sjKey));
    const config = loadConfig({
      DATABASE_URL: db.url,
      LEDGER_DATA_DIR: dataDir,
      PORT: '0',
      LEDGER_JWT_SECRET: SECRET,
      LEDGER_SIGNING_KEY: pem,
      LEDGER_LOG_ORIGIN: ORIGIN,
      LEDGER_WITNESSES: `${jw.vkey} ${jw.url}, ${sjVkey} http://127.0.0.1:${sjPort}`,
      LEDGER_WITNESS_RETRY_SECONDS: '1',
      LEDGER_HEAD_INTERVAL_SECONDS: '1',
      LOG_LEVEL: 'silent',
    });
    server = await startServer(config, () => undefined);
    token = await signToken({ sub: 'admin', roles: ['admin'], units: ['*'] }, secretKey(SECRET), '1h');
  });
  afterAll(async () => {
    await server?.close();
    await jw?.close();
    await sj?.close();
    await db?.drop();
  });

  it('publishes the note key and, without a token, the newest checkpoint with the cosignatures gathered; a witness down stops no write', async () => {
    const published = (await (await get('/v1/audit/public-key')).json()) as { vkey: string; noteKeyName: string; noteKeyId: string };
    expect(published).toMatchObject({ noteKeyName: ORIGIN, vkey: expect.stringMatching(new RegExp(`^${ORIGIN.replace(/\./g, '\\.')}\\+${published.noteKeyId}\\+`)) });
    expect((await register('w-001')).status).toBe(201);
    expect((await register('w-002')).status).toBe(201);
    const note = await waitUntil(
      async () => {
        const res = await get('/v1/audit/checkpoint');
        const text = res.status === 200 ? await res.text() : '';
        return text.includes('\n2\n') && text.includes('— jw.sx.example/witness ') ? { text, type: res.headers.get('content-type') } : null;
      },
      { timeoutMs: 60_000, description: 'a checkpoint of both events cosigned by the 纪委 witness' },
    );
    expect(note.type).toBe('text/plain; charset=utf-8');
    const checked = specVerify(note.text, [published.vkey, jw.vkey]);
    const digest = (await (await get('/v1/audit/digest', true)).json()) as { treeSize: number; rootHash: string };
    expect(checked).toMatchObject({ origin: ORIGIN, size: digest.treeSize, root: Buffer.from(digest.rootHash, 'hex').toString('base64') });
    expect(checked.verified.map((v) => v.name)).toEqual([ORIGIN, 'jw.sx.example/witness']);
  });

  it('stays ready with a witness down, shows it in the health details and /metrics, and asks it again until it cosigns', async () => {
    const health = await get('/health');
    expect(health.status).toBe(200);
    const witnesses = await witnessesInHealth();
    expect(witnesses).toEqual([expect.objectContaining({ witness: expect.stringMatching(/^jw\.sx\.example\/witness\+/), state: 'up' }), expect.objectContaining({ witness: expect.stringMatching(/^sj\.sx\.example\/witness\+/), state: 'down' })]);
    await waitUntil(async () => (await witnessesInHealth())[1].failures >= 2, { timeoutMs: 30_000, description: 'the down witness asked again' });
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(/^ledger_witness_up\{witness="sj\.sx\.example\/witness\+[0-9a-f]{8}"\} 0$/m);
    expect(metrics).toMatch(/^ledger_witness_up\{witness="jw\.sx\.example\/witness\+[0-9a-f]{8}"\} 1$/m);
    expect(metrics).toMatch(/^ledger_witness_failures_total\{witness="sj\.sx\.example\/witness\+[0-9a-f]{8}"\} [1-9]\d*$/m);
    // It comes back: the retry reaches it, and the newest checkpoint carries both cosignatures.
    sj = await startSj();
    const note = await waitUntil(
      async () => {
        const text = await (await get('/v1/audit/checkpoint')).text();
        return text.includes('— sj.sx.example/witness ') ? text : null;
      },
      { timeoutMs: 60_000, description: 'the 审计 witness to cosign once it is up' },
    );
    const { vkey } = (await (await get('/v1/audit/public-key')).json()) as { vkey: string };
    expect(specVerify(note, [vkey, jw.vkey, sj.vkey]).verified).toHaveLength(3);
    expect((await witnessesInHealth()).map((w) => w.state)).toEqual(['up', 'up']);
    // Published to the checkpoints file too (LEDGER_CHECKPOINTS_FILE, default in the data dir).
    expect(splitNotes(readFileSync(join(dataDir, 'checkpoints.txt'), 'utf8'))).toContain(note);
  });
});
