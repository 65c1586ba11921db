import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Ledger } from '@cadre-ledger/application';
import { AUDIT_MIGRATIONS_NAMESPACE, auditMigrations, formatVkey, loadSigningKey, logNoteKey, parseTreeHead, parseTreeHeads, splitNotes, verifyHead, type TreeHead } from '@cadre-ledger/audit';
import { loadConfig, runMigrations, waitUntil } from '@cadre-ledger/platform';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { startKafkaTestBed, type KafkaTestBed } from '../../../test/support/kafka/kafka-test-bed';
import { specVerify } from '../../../test/support/c2sp-verifier';
import { CHECKPOINTS_TOPIC, TREE_HEADS_TOPIC, startFollowing } from './follow';

jest.setTimeout(90_000);

let bed: KafkaTestBed;
beforeAll(async () => {
  bed = await startKafkaTestBed('tree-heads');
  await runMigrations(bed.pool, AUDIT_MIGRATIONS_NAMESPACE, auditMigrations);
});
afterAll(() => bed?.close());

describe('signed tree heads outside the database', () => {
  it('publishes every signed head, and its C2SP checkpoint, to Kafka and to files, each verifying with the public key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cadre-ledger-heads-'));
    const key = loadSigningKey({ generateInto: join(dir, 'signing-key.pem') });
    if (!key) throw new Error('no key generated');
    const headsFile = join(dir, 'heads.ndjson');
    const checkpointsFile = join(dir, 'checkpoints.txt');
    const origin = 'zzb.sx.example/follow-test';
    const ruleBook = readRuleBook();
    const following = await startFollowing({
      pool: bed.pool, store: bed.store, ruleBook, kafka: loadConfig({ KAFKA_BROKERS: bed.kafka.brokers.join(',') }).kafka, log: () => undefined,
      transparency: { key, headIntervalMs: 200, headsFile, witnessing: { origin, witnesses: [], retrySeconds: 30, checkpointsFile } },
    });
    const consumer = bed.client.consumer({ groupId: `heads-${randomUUID()}` });
    const onKafka: { key: string; head: TreeHead }[] = [];
    const checkpointsOnKafka: { key: string; note: string }[] = [];
    try {
      const ledger = new Ledger({ store: bed.store, ruleBook, now: () => new Date(), newEventId: randomUUID });
      await ledger.executeCadreCommand('h-1', {
        type: 'RegisterCadre',
        data: { cadreId: 'h-1', name: '高峰', unitId: 'u-1', jurisdiction: 'CN-SN', position: { title: '局长', level: 'county-chief', leadership: true, principal: true }, effectiveAt: '2020-01-01' },
        metadata: { actor: 'org' },
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [TREE_HEADS_TOPIC, CHECKPOINTS_TOPIC], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ topic, message }) => {
          if (topic === CHECKPOINTS_TOPIC) checkpointsOnKafka.push({ key: String(message.key), note: String(message.value) });
          else onKafka.push({ key: String(message.key), head: parseTreeHead(JSON.parse(String(message.value))) });
        },
      });
      await waitUntil(() => onKafka.some((m) => m.head.treeSize >= 1) && checkpointsOnKafka.some((m) => m.key !== '0'), { timeoutMs: 60_000, description: 'a signed head and its checkpoint on Kafka' });
    } finally {
      await consumer.disconnect();
      await following.stop();
    }
    const published = onKafka.find((m) => m.head.treeSize >= 1)!;
    expect(published.key).toBe(String(published.head.treeSize));
    expect(verifyHead(published.head, key.publicKey)).toBe(true);
    const inFile = parseTreeHeads(readFileSync(headsFile, 'utf8'));
    expect(inFile).toContainEqual(published.head);
    // The checkpoint of that head: a signed note any C2SP verifier checks with the log's vkey.
    const vkey = formatVkey(logNoteKey(origin, key.publicKey));
    const checkpoint = checkpointsOnKafka.find((m) => m.key === published.key)!;
    expect(specVerify(checkpoint.note, [vkey])).toMatchObject({ origin, size: published.head.treeSize, root: Buffer.from(published.head.rootHash, 'hex').toString('base64'), verified: [{ name: origin }] });
    expect(splitNotes(readFileSync(checkpointsFile, 'utf8'))).toContain(checkpoint.note);
  });
});
