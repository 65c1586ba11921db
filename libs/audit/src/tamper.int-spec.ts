import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { PostgresEventStore, type NewEvent } from '@cadre-ledger/event-store';
import { runMigrations } from '@cadre-ledger/platform';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { behindTheStore } from '../../../test/support/behind-the-store';
import { AccessLog, accessHash, listAccess } from './access-log';
import { TransparencyLog } from './log';
import { AUDIT_MIGRATIONS_NAMESPACE, auditMigrations } from './schema';
import { loadSigningKey, type SigningKey, type TreeHead } from './signing';
import { verifyIncrementally, verifyLedger, type Finding } from './verify';
import { generateKeyPairSync } from 'node:crypto';

/**
 * An auditor's bar (issue "Tamper evidence"): with write access to the database, any change of
 * any stored field, any deletion (a stream's tail, a whole stream, an event in the middle), any
 * reordering or insertion is reported by the verification, naming what — given a tree head saved
 * before the change.
 */
jest.setTimeout(120_000);

const event = (type: string, data: Record<string, unknown>, effectiveAt = '2021-03-01'): NewEvent => ({ eventId: randomUUID(), type, effectiveAt, actor: 'zzb', documentRef: '陕组〔2021〕1号', data });

describe('tamper evidence on PostgreSQL', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let pool: Pool;
  let key: SigningKey;
  let saved: TreeHead;

  beforeAll(async () => {
    db = await createTestDatabase('tamper');
    store = await PostgresEventStore.open({ connectionString: db.url });
    pool = new Pool({ connectionString: db.url, max: 3 });
    pool.on('error', () => undefined);
    await runMigrations(pool, AUDIT_MIGRATIONS_NAMESPACE, auditMigrations);
    key = loadSigningKey({ pem: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() })!;
    for (const cadre of ['a', 'b', 'c']) {
      await store.appendToStream(`cadre-${cadre}`, [event('CadreRegistered', { cadreId: cadre, name: '王芳' }), event('CautionIssued', { reason: '诫勉' })], { expectedRevision: 'no-stream' });
      await store.appendToStream(`cadre-${cadre}`, [event('TalkHeld', { kind: 'reminder', reason: '谈话' })], { expectedRevision: 1 });
    }
    await new AccessLog(pool, store.hashAlgorithm).record([{ actor: 'auditor', cadreId: 'a', what: 'history', via: 'test' }]);
    const log = new TransparencyLog(pool, store, store.hashAlgorithm);
    expect(await log.catchUp()).toBe(9);
    saved = (await log.signHead(key))!;
    expect(saved.treeSize).toBe(9);
  });
  afterAll(async () => {
    await pool?.end();
    await store?.close();
    await db?.drop();
  });

  const verify = () => verifyLedger({ store, pool, publicKey: key.publicKey, digests: [saved] });

  /** Runs SQL behind the store's back (triggers off, as a superuser could), checks, and puts things back. */
  async function tampered(sql: string, check: (findings: Finding[]) => void): Promise<void> {
    await behindTheStore(db.url, sql, [], async () => {
      const result = await verify();
      expect(result.ok).toBe(false);
      check(result.findings);
    });
    expect((await verify()).ok).toBe(true);
  }

  const target = async (stream: string, revision: number) =>
    (await store.readStream(stream)).find((e) => e.revision === revision)!;

  it('passes on the untouched ledger, with every signature and the saved head', async () => {
    const result = await verify();
    expect(result).toMatchObject({ ok: true, events: 9, streams: 3, findings: [], headsChecked: 1, uncovered: 0, signaturesChecked: true, accessRecords: 1 });
    expect(result.formats).toEqual({ 'v2-sha256': 9 });
  });

  it.each([
    ['event_id', "event_id = 'forged-id'"],
    ['type', "type = 'CommendationIssued'"],
    ['schema_version', 'schema_version = 2'],
    ['effective_at', "effective_at = '2018-03-01'"],
    ['actor', "actor = 'someone-else'"],
    ['document_ref', 'document_ref = NULL'],
    ['data', `data = '{"reason": "改过的"}'`],
    ['prev_hash', `prev_hash = repeat('1', 64)`],
    ['hash', `hash = repeat('2', 64)`],
    ['hash_format', "hash_format = 'v1'"],
    ['stream', "stream = 'cadre-z'"],
  ])('reports a changed %s with stream, revision and eventId', async (_field, set) => {
    const caution = await target('cadre-b', 1);
    await tampered(`UPDATE ledger_events SET ${set} WHERE global_position = ${caution.globalPosition}`, (findings) => {
      expect(findings.some((f) => f.globalPosition === caution.globalPosition || f.eventId === caution.eventId || (f.stream === 'cadre-b' && f.revision === 2))).toBe(true);
      expect(findings.every((f) => f.detail.length > 0)).toBe(true);
    });
  });

  it('reports a changed recorded_at (three years back), which no chain covers, by its leaf', async () => {
    const caution = await target('cadre-b', 1);
    await tampered(`UPDATE ledger_events SET recorded_at = recorded_at - interval '3 years' WHERE global_position = ${caution.globalPosition}`, (findings) => {
      expect(findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'leaf-altered', stream: 'cadre-b', revision: 1, eventId: caution.eventId })]));
      expect(findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'digest-mismatch' })]));
    });
  });

  it('reports a changed revision and a changed global position', async () => {
    const talk = await target('cadre-a', 2);
    await tampered(`UPDATE ledger_events SET revision = 5 WHERE global_position = ${talk.globalPosition}`, (findings) => {
      expect(findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'chain-broken', stream: 'cadre-a', eventId: talk.eventId })]));
    });
    await tampered(`UPDATE ledger_events SET global_position = global_position + 1 WHERE global_position = ${talk.globalPosition}`, (findings) => {
      expect(findings.some((f) => f.eventId === talk.eventId)).toBe(true);
    });
  });

  it('reports the deleted tail of a stream, a deleted whole stream, and a deleted middle event, naming them', async () => {
    const tail = await target('cadre-c', 2);
    await tampered(`DELETE FROM ledger_events WHERE global_position = ${tail.globalPosition}`, (findings) => {
      expect(findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'event-deleted', stream: 'cadre-c', revision: 2, eventId: tail.eventId }), expect.objectContaining({ kind: 'digest-mismatch' })]));
    });
    await tampered("DELETE FROM ledger_events WHERE stream = 'cadre-a'", (findings) => {
      expect(findings.filter((f) => f.kind === 'event-deleted' && f.stream === 'cadre-a').map((f) => f.revision).sort()).toEqual([0, 1, 2]);
    });
    const middle = await target('cadre-b', 1);
    await tampered(`DELETE FROM ledger_events WHERE global_position = ${middle.globalPosition}`, (findings) => {
      expect(findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'event-deleted', eventId: middle.eventId }), expect.objectContaining({ kind: 'chain-broken', stream: 'cadre-b' })]));
    });
  });

  it('reports two events reordered and an event inserted', async () => {
    const [first, second] = [await target('cadre-a', 2), await target('cadre-b', 2)];
    await tampered(
      `UPDATE ledger_events SET global_position = 9000000000000000 WHERE global_position = ${first.globalPosition};
       UPDATE ledger_events SET global_position = ${first.globalPosition} WHERE global_position = ${second.globalPosition};
       UPDATE ledger_events SET global_position = ${second.globalPosition} WHERE global_position = 9000000000000000;`,
      (findings) => {
        expect(findings.filter((f) => f.kind === 'leaf-altered').map((f) => f.eventId).sort()).toEqual([first.eventId, second.eventId].sort());
      },
    );
    const registration = await target('cadre-c', 0);
    await tampered(
      `INSERT INTO ledger_events (global_position, stream, revision, event_id, type, schema_version, effective_at, actor, document_ref, data, prev_hash, hash, hash_format, recorded_at)
       SELECT global_position + 7, 'cadre-forged', 0, 'forged', type, schema_version, effective_at, actor, document_ref, data, repeat('0', 64), hash, hash_format, recorded_at
       FROM ledger_events WHERE global_position = ${registration.globalPosition}`,
      (findings) => {
        expect(findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'event-inserted', eventId: 'forged' })]));
      },
    );
  });

  it('reports a head signed by another key, and a deleted read-audit record', async () => {
    const other = loadSigningKey({ pem: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() })!;
    const result = await verifyLedger({ store, pool, publicKey: other.publicKey, digests: [saved] });
    expect(result.findings.map((f) => f.kind)).toEqual(['head-signature', 'head-signature']);
    const client = new Client({ connectionString: db.url });
    client.on('error', () => undefined);
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query("SET LOCAL session_replication_role = 'replica'");
      await client.query('CREATE TABLE saved_access AS SELECT * FROM ledger_access_log');
      await client.query('DELETE FROM ledger_access_log');
      await client.query('COMMIT');
      expect((await verify()).findings).toEqual([expect.objectContaining({ kind: 'access-log-broken' })]);
      await client.query("SET session_replication_role = 'replica'");
      await client.query('INSERT INTO ledger_access_log SELECT * FROM saved_access');
      await client.query('DROP TABLE saved_access');
    } finally {
      await client.end();
    }
    expect((await verify()).ok).toBe(true);
  });

  it('reports a read-audit record rewritten and chained again (no key needed for that): the head signed its hash', async () => {
    const client = new Client({ connectionString: db.url });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const [record] = (await listAccess(pool, { limit: 1 })).items;
      const forged = { ...record, actor: 'someone-else' };
      const hash = accessHash(store.hashAlgorithm, record.prevHash, forged);
      await client.query('CREATE TABLE saved_access AS SELECT * FROM ledger_access_log');
      await client.query('BEGIN');
      await client.query("SET LOCAL session_replication_role = 'replica'");
      await client.query('UPDATE ledger_access_log SET actor = $1, hash = $2 WHERE seq = $3', [forged.actor, hash, record.seq]);
      await client.query('COMMIT');
      expect((await verify()).findings).toEqual([expect.objectContaining({ kind: 'access-log-broken', detail: expect.stringContaining('rewritten') })]);
      await client.query('BEGIN');
      await client.query("SET LOCAL session_replication_role = 'replica'");
      await client.query('DELETE FROM ledger_access_log');
      await client.query('INSERT INTO ledger_access_log SELECT * FROM saved_access');
      await client.query('DROP TABLE saved_access');
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    expect((await verify()).ok).toBe(true);
  });

  it('verifies incrementally from the last sound head: only what came after', async () => {
    const first = await verifyIncrementally({ store, pool, publicKey: key.publicKey });
    expect(first).toMatchObject({ ok: true, mode: 'incremental', events: 9 });
    await store.appendToStream('cadre-d', [event('CadreRegistered', { cadreId: 'd', name: '李' })], { expectedRevision: 'no-stream' });
    const log = new TransparencyLog(pool, store, store.hashAlgorithm);
    await log.catchUp();
    await log.signHead(key);
    const second = await verifyIncrementally({ store, pool, publicKey: key.publicKey });
    expect(second).toMatchObject({ ok: true, events: 1 });
  });
});
