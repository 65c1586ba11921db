import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger } from '@cadre-ledger/application';
import { PostgresEventStore, formatEpochMicros, toEpochMicros, type StoredEvent } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { cliEnv, runLedger } from './support/ledger-cli';
import { writeKnownHistory } from './support/known-history';
import { countEvents } from './support/ndjson';

jest.setTimeout(300_000);

/**
 * `ledger export` → `ledger import --restore` keeps the recorded-time axis: the same recordedAt,
 * positions and hashes, so a head saved on the old store verifies on the new one, and every
 * knownAt question is answered the same.
 */
describe('ledger import --restore (child processes, PostgreSQL)', () => {
  const databases: TestDatabase[] = [];
  const fresh = async (label: string) => {
    const db = await createTestDatabase(label);
    databases.push(db);
    return db;
  };
  const dir = mkdtempSync(join(tmpdir(), 'ledger-restore-'));
  const file = join(dir, 'ledger.ndjson');
  const headFile = join(dir, 'head.json');
  const publicKeyFile = join(dir, 'ledger.pub');
  let keyEnv: NodeJS.ProcessEnv;
  let source: TestDatabase;
  let target: TestDatabase;
  let exported: string;
  let events: StoredEvent[];

  beforeAll(async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    writeFileSync(join(dir, 'signing.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
    writeFileSync(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }).toString());
    keyEnv = { LEDGER_SIGNING_KEY_FILE: join(dir, 'signing.pem') };
    source = await fresh('restore-src');
    target = await fresh('restore-dst');
    expect((await runLedger(['demo', '--cadres', '12', '--seed', '21'], cliEnv(source.url))).code).toBe(0);
    const digest = await runLedger(['digest'], cliEnv(source.url, keyEnv));
    expect(digest.code).toBe(0);
    writeFileSync(headFile, digest.stdout);
    const run = await runLedger(['export'], cliEnv(source.url));
    expect(run.code).toBe(0);
    exported = run.stdout;
    writeFileSync(file, exported);
    events = exported.trim().split('\n').map((line) => JSON.parse(line) as StoredEvent);
  });
  afterAll(() => Promise.all(databases.map((db) => db.drop())));

  it('restores every event with its recordedAt, position and hash: the new store exports byte for byte the same', async () => {
    const run = await runLedger(['import', '--restore', file, '--json'], cliEnv(target.url));
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ lines: events.length, events: events.length, lastPosition: events[events.length - 1].globalPosition, formats: { 'v2-sha256': events.length } });
    const again = await runLedger(['export'], cliEnv(target.url));
    expect(again.stdout).toBe(exported);
  });

  it('passes verify against the head saved on the old store, and signs the same root', async () => {
    const report = await runLedger(['verify', '--json', '--digest', headFile, '--public-key', publicKeyFile], cliEnv(target.url));
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ ok: true, events: events.length, digests: 1, findings: [] });
    const digest = await runLedger(['digest'], cliEnv(target.url, keyEnv));
    const saved = JSON.parse(readFileSync(headFile, 'utf8'));
    expect(JSON.parse(digest.stdout)).toMatchObject({ treeSize: saved.treeSize, rootHash: saved.rootHash, lastPosition: saved.lastPosition });
  });

  it('answers every knownAt question as the old store did', async () => {
    const ruleBook = readRuleBook();
    const [before, after] = await Promise.all([PostgresEventStore.open({ connectionString: source.url }), PostgresEventStore.open({ connectionString: target.url })]);
    try {
      const ledgerOf = (store: PostgresEventStore) => new Ledger({ store, ruleBook, now: () => new Date(), newEventId: randomUUID });
      const [a, b] = [ledgerOf(before), ledgerOf(after)];
      const cadres = [...new Set(events.filter((e) => e.stream.startsWith('cadre-')).map((e) => e.stream.slice('cadre-'.length)))];
      // Instants on the recorded-time axis: at an event, and a microsecond before it.
      const instants = events
        .filter((_, i) => i % Math.max(1, Math.floor(events.length / 15)) === 0)
        .flatMap((e) => [e.recordedAt, formatEpochMicros(toEpochMicros(e.recordedAt) - 1n)]);
      let compared = 0;
      const distinct = new Set<string>();
      for (const cadreId of cadres) {
        for (const knownAt of instants) {
          const [was, is] = await Promise.all([a.eligibility(cadreId, { asOf: '2026-06-30', knownAt }), b.eligibility(cadreId, { asOf: '2026-06-30', knownAt })]);
          expect(is).toEqual(was);
          compared += 1;
          distinct.add(JSON.stringify({ ...was, knownAt: undefined }));
        }
      }
      expect(compared).toBe(cadres.length * instants.length);
      // The comparison means something: the answers differ along the recorded-time axis.
      expect(distinct.size).toBeGreaterThan(cadres.length);
    } finally {
      await Promise.all([before.close(), after.close()]);
    }
  });

  it('appends after a restore at positions above every restored one, and still verifies', async () => {
    const added = await writeKnownHistory(target.url, 'after-restore');
    expect(added[0].globalPosition).toBeGreaterThan(events[events.length - 1].globalPosition);
    const report = await runLedger(['verify', '--json', '--digest', headFile, '--public-key', publicKeyFile], cliEnv(target.url));
    expect(JSON.parse(report.stdout)).toMatchObject({ ok: true, events: events.length + 3 });
  });

  it('refuses a restore into a store that holds events, and changes nothing', async () => {
    const count = await countEvents(target.url);
    const run = await runLedger(['import', '--restore', file], cliEnv(target.url));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('already holds events');
    expect(await countEvents(target.url)).toBe(count);
  });

  it('refuses a file with an altered line or without what a restore keeps, naming the line, and writes nothing', async () => {
    const empty = await fresh('restore-bad');
    const lines = exported.trim().split('\n');
    const at = Math.floor(lines.length / 2);
    const altered = JSON.parse(lines[at]);
    altered.actor = 'someone-else';
    writeFileSync(join(dir, 'altered.ndjson'), [...lines.slice(0, at), JSON.stringify(altered), ...lines.slice(at + 1)].join('\n') + '\n');
    const run = await runLedger(['import', '--restore', join(dir, 'altered.ndjson')], cliEnv(empty.url));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`nothing restored: line ${at + 1}: ${altered.stream} revision ${altered.revision}`);
    expect(run.stderr).toContain('does not match its hash');
    expect(await countEvents(empty.url)).toBe(0);

    const { recordedAt: _dropped, ...handWritten } = JSON.parse(lines[0]);
    writeFileSync(join(dir, 'hand.ndjson'), `${JSON.stringify(handWritten)}\n`);
    const hand = await runLedger(['import', '--restore', join(dir, 'hand.ndjson')], cliEnv(empty.url));
    expect(hand.code).toBe(1);
    expect(hand.stderr).toContain('line 1: a restore keeps recordedAt');
    expect(await countEvents(empty.url)).toBe(0);

    const skip = await runLedger(['import', '--restore', '--on-error', 'skip', file], cliEnv(empty.url));
    expect(skip.code).toBe(2);
    expect(skip.stderr).toContain('all or nothing');
  });
});
