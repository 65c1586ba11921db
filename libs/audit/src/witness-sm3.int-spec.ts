import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { newestCheckpoint } from './checkpoints';
import { NOTE_COSIGNATURE_V1, noteKey } from './note';
import { WitnessesNeedSha256, startTransparencyLog } from './runtime';
import { loadSigningKey } from './signing';

jest.setTimeout(60_000);

/**
 * A store made with SM3 keeps its SM3 tree: it makes no C2SP checkpoint (they commit to SHA-256
 * trees), and witness settings are refused at start with a message that says why and what to do.
 */
describe('witnesses and an SM3 store', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let pool: Pool;
  const key = loadSigningKey({ pem: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() })!;

  beforeAll(async () => {
    db = await createTestDatabase('witness-sm3');
    store = await PostgresEventStore.open({ connectionString: db.url, hashAlgorithm: 'sm3', poolSize: 2 });
    pool = new Pool({ connectionString: db.url, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await store?.close();
    await db?.drop();
  });

  it('refuses witnesses at start, naming the algorithm and the way out', async () => {
    const witness = { key: noteKey('jw.sx.example/witness', NOTE_COSIGNATURE_V1, generateKeyPairSync('ed25519').privateKey), url: 'http://127.0.0.1:1' };
    const start = startTransparencyLog({ pool, store, key, checkpoints: { origin: 'zzb.sx.example/ledger', witnesses: [witness] } });
    await expect(start).rejects.toThrow(WitnessesNeedSha256);
    await expect(start).rejects.toThrow(/hashes with sm3.*SHA-256 \(RFC 6962\) trees only.*start without LEDGER_WITNESSES/);
  });

  it('signs its SM3 heads as before, and makes no checkpoint', async () => {
    await store.appendToStream('cadre-s-1', [{ eventId: randomUUID(), type: 'CadreRegistered', effectiveAt: '2020-01-01', actor: 'zzb', data: { cadreId: 's-1' } }], { expectedRevision: 'no-stream' });
    const runtime = await startTransparencyLog({ pool, store, key, checkpoints: { origin: 'zzb.sx.example/ledger' } });
    try {
      expect(await runtime.flush()).toMatchObject({ treeSize: 1, hashAlgorithm: 'sm3' });
      expect(runtime.witnessing).toBeNull();
      expect(await newestCheckpoint(pool)).toBeNull();
    } finally {
      await runtime.stop();
    }
  });
});
