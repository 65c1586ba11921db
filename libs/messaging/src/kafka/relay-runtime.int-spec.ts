import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { Ledger } from '@cadre-ledger/application';
import { chinaDateOf } from '@cadre-ledger/domain';
import type { StoredEvent } from '@cadre-ledger/event-store';
import { loadConfig, waitUntil } from '@cadre-ledger/platform';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { Projector } from '@cadre-ledger/projections';
import { startKafkaTestBed, type KafkaTestBed } from '../../../../test/support/kafka/kafka-test-bed';
import { cliEnv, runLedger } from '../../../../test/cli/support/ledger-cli';
import { parseLedgerEventMessageV2, EVENT_HEADERS_V2 } from '../contracts/ledger-event.v2';
import { parseLedgerEventMessageV3 } from '../contracts/ledger-event.v3';
import { EligibilityMessageV2 } from '../contracts/eligibility.v2';
import { StatsMessageV1 } from '../contracts/stats.v1';
import { startKafkaRelay, type KafkaRelayRuntime } from './relay-runtime';
import { registerRelayMetrics } from './metrics';
import type { KafkaLogSink } from './client';

/**
 * The Kafka feed as a consumer sees it (issue "The Kafka feed as a product"), on librdkafka's mock
 * broker: every event on cadre-ledger.events.v2 with the documented key and headers; one current
 * verdict per cadre on the eligibility topic from the first start, and again after `ledger
 * rebuild --republish`; a stats topic in which no name, reason or cadre id appears; the relay's
 * lag on /metrics; the broker's refusal of the admin API met with a warning and auto-creation.
 */
jest.setTimeout(120_000);
const ruleBook = readRuleBook();
const post = { title: '处长', level: 'county-chief', leadership: true, principal: false } as const;
const NAMES = ['冯涛', '王芳', '李明', '赵文清', '周伟', '孙丽'];
const REASONS = ['督查发现履职不力', '群众反映强烈'];
const today = () => chinaDateOf(new Date().toISOString());

let bed: KafkaTestBed;
let runtime: KafkaRelayRuntime | undefined;
const stored: StoredEvent[] = [];
const logged: Parameters<KafkaLogSink>[] = [];

beforeAll(async () => {
  bed = await startKafkaTestBed('relay-runtime');
  const ledger = new Ledger({ store: bed.store, ruleBook, now: () => new Date(), newEventId: randomUUID });
  stored.push(...(await ledger.executeUnitCommand('u-1', { type: 'RegisterUnit', data: { unitId: 'u-1', name: '甲县人民政府', level: 'county', jurisdiction: 'CN-SN', effectiveAt: '2010-01-01' }, metadata: { actor: 'org' } })).events);
  const year = today().slice(0, 4);
  for (const [i, name] of NAMES.entries()) {
    const cadreId = `k-${i}`;
    const run = async (request: Parameters<Ledger['executeCadreCommand']>[1]) => stored.push(...(await ledger.executeCadreCommand(cadreId, request)).events);
    await run({ type: 'RegisterCadre', data: { cadreId, name, unitId: 'u-1', jurisdiction: 'CN-SN', position: post, effectiveAt: '2018-01-01' }, metadata: { actor: 'org' } });
    await run({ type: 'IssueCommendation', data: { level: 'county', kind: 'citation', title: '嘉奖', effectiveAt: `${year}-01-02` }, metadata: { actor: 'org' } });
    if (i < 2) await run({ type: 'IssueCaution', data: { reason: REASONS[i], effectiveAt: today() }, metadata: { actor: 'jw' } });
  }
  await new Projector({ pool: bed.pool, store: bed.store, ruleBook, today, eligibilityOutbox: true }).catchUp();
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  await bed?.close();
});

/** Every message of a topic from the beginning, once `enough` says so. */
async function consume(topic: string, enough: (messages: { key: string; value: string; headers: Record<string, string> }[]) => boolean) {
  const consumer = bed.client.consumer({ groupId: `reader-${randomUUID()}` });
  const seen: { key: string; value: string; headers: Record<string, string> }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      seen.push({ key: String(message.key), value: String(message.value), headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])) });
    },
  });
  try {
    await waitUntil(() => enough(seen), { timeoutMs: 60_000, description: `messages on ${topic}` });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

const start = () =>
  startKafkaRelay({
    pool: bed.pool,
    store: bed.store,
    kafka: loadConfig({ KAFKA_BROKERS: bed.kafka.brokers.join(','), KAFKA_STATS_INTERVAL_SECONDS: '1' }).kafka,
    log: (...line) => logged.push(line),
    today,
    smallCountThreshold: 2,
    intervalMs: 200,
  });

describe('the Kafka feed', () => {
  it('carries every event with its key and headers, one verdict per cadre, and figures without a person in them', async () => {
    runtime = await start();
    // The mock broker has no admin API for creating topics: the relay warned and fell back.
    expect(logged.some(([level, message]) => level === 'warn' && message.includes('auto-creation'))).toBe(true);

    const events = await consume('cadre-ledger.events.v2', (m) => m.length >= stored.length);
    expect(new Set(events.map((m) => m.headers.eventId))).toEqual(new Set(stored.map((e) => e.eventId)));
    for (const m of events) {
      const message = parseLedgerEventMessageV2(m.value);
      expect(Object.keys(m.headers).sort()).toEqual([...EVENT_HEADERS_V2].sort());
      expect(m.headers).toEqual({ contract: 'cadre-ledger.event.v2', eventId: message.eventId, type: message.type, family: message.family, subjectKind: message.subject.kind, schemaVersion: String(message.schemaVersion) });
      expect(m.key).toBe(message.subject.id);
    }
    // v3 beside it: the same events, the same keys and headers but its own contract.
    const v3 = await consume('cadre-ledger.events.v3', (m) => m.length >= stored.length);
    expect(new Set(v3.map((m) => m.headers.eventId))).toEqual(new Set(stored.map((e) => e.eventId)));
    for (const m of v3) expect(m.headers.contract).toBe(parseLedgerEventMessageV3(m.value).contract);

    const verdicts = await consume('cadre-ledger.eligibility.v2', (m) => new Set(m.map((x) => x.key)).size >= NAMES.length);
    const latest = new Map(verdicts.map((m) => [m.key, EligibilityMessageV2.parse(JSON.parse(m.value))]));
    expect([...latest.keys()].sort()).toEqual(NAMES.map((_, i) => `k-${i}`));
    expect([...latest.values()].filter((v) => !v.promotable).map((v) => v.cadreId).sort()).toEqual(['k-0', 'k-1']);

    const stats = await consume('cadre-ledger.stats.v1', (m) => m.some((x) => x.key === `*/${today().slice(0, 4)}`) && m.some((x) => x.key === `u-1/${today().slice(0, 4)}`));
    for (const m of stats) {
      const message = StatsMessageV1.parse(JSON.parse(m.value));
      for (const personal of [...NAMES, ...REASONS, ...NAMES.map((_, i) => `k-${i}`)]) expect(m.value).not.toContain(personal);
      expect(m.key).toBe(`${message.unitId}/${message.year}`);
    }
    const unit = StatsMessageV1.parse(JSON.parse(stats.filter((m) => m.key === `u-1/${today().slice(0, 4)}`).at(-1)!.value));
    expect(unit).toMatchObject({ unitName: '甲县人民政府', incentive: NAMES.length, locksActive: 2, openReviewTriggers: null });
    expect(unit.suppressed).toContain('openReviewTriggers');

    const registry = new Registry();
    registerRelayMetrics(registry, runtime);
    await waitUntil(async () => (await runtime!.lag()).events === 0, { timeoutMs: 30_000, description: 'the relay to catch up' });
    const metrics = await registry.metrics();
    expect(metrics).toMatch(/^ledger_kafka_relay_lag_events 0$/m);
    expect(metrics).toMatch(/^ledger_kafka_relay_lag_seconds 0$/m);
    expect(metrics).toMatch(/^ledger_kafka_up 1$/m);
    expect(metrics).toMatch(/^ledger_kafka_publish_errors_total 0$/m);
    expect(metrics).toMatch(new RegExp(`^ledger_kafka_published_total\\{kind="events"\\} ${stored.length}$`, 'm'));
  });

  it('publishes the verdict of every cadre again after ledger rebuild --republish, and only then', async () => {
    const topic = 'cadre-ledger.eligibility.v2';
    // Count what is on the topic once the relay has published everything it holds (the outbox is
    // emptied only after the broker acknowledged), not while verdicts are still on their way.
    await waitUntil(outboxEmpty, { timeoutMs: 30_000, description: 'the eligibility outbox to drain' });
    await runtime?.stop();
    runtime = undefined;
    const before = await published(topic);
    // A restart is no first start: no second snapshot.
    runtime = await start();
    await waitUntil(async () => (await runtime!.lag()).events === 0 && (await outboxEmpty()), { timeoutMs: 30_000, description: 'the restarted relay to settle' });
    expect(await published(topic)).toBe(before);
    const rebuilt = await runLedger(['rebuild', '--republish', '--json'], cliEnv(bed.db.url));
    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ republished: NAMES.length });
    await waitUntil(async () => (await outboxEmpty()) && (await published(topic)) >= before + NAMES.length, { timeoutMs: 60_000, description: 'the republished verdicts on the topic' });
    expect(await published(topic)).toBe(before + NAMES.length);
    const after = await consume(topic, (m) => m.length >= before + NAMES.length);
    const keys = new Set(after.slice(before).map((m) => m.key));
    expect(keys.size).toBe(NAMES.length);
  });
});

async function outboxEmpty(): Promise<boolean> {
  const { rows } = await bed.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM eligibility_outbox');
  return rows[0].n === 0;
}

/** How many messages a topic holds: the sum of its partitions' high watermarks (nothing is deleted here). */
async function published(topic: string): Promise<number> {
  const admin = bed.client.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}
