import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topicPlan } from '@cadre-ledger/messaging';
import { runLedger } from './support/ledger-cli';

// Each case starts the CLI as a child process: seconds on a busy machine, beyond jest's default 5 s.
jest.setTimeout(60_000);

/**
 * `ledger kafka topics`: the plan the relay creates its topics with (issue "The Kafka feed as a
 * product"), partitions and replication from the configuration, compacted where it must be,
 * personal or not; `--create` needs brokers. No database is needed to print it.
 */
const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const e: NodeJS.ProcessEnv = { ...process.env, LEDGER_DATA_DIR: mkdtempSync(join(tmpdir(), 'ledger-kafka-')), ...extra };
  delete e.KAFKA_BROKERS;
  return e;
};

describe('ledger kafka topics', () => {
  it('prints the topic plan from the configuration, as the relay uses it', async () => {
    const result = await runLedger(['kafka', 'topics', '--json'], env({ KAFKA_TOPIC_PARTITIONS: '12', KAFKA_TOPIC_REPLICATION: '3', KAFKA_PUBLISH_V1: 'off' }));
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const printed = JSON.parse(result.stdout) as { topics: { topic: string; partitions: number; replicationFactor: number; configs: Record<string, string>; personal: boolean }[] };
    expect(printed.topics).toEqual(topicPlan({ partitions: 12, replicationFactor: 3, publishV1: false }));
    expect(printed.topics.find((t) => t.topic === 'cadre-ledger.eligibility.v2')).toMatchObject({ partitions: 12, replicationFactor: 3, configs: { 'cleanup.policy': 'compact' }, personal: true });
    expect(printed.topics.find((t) => t.topic === 'cadre-ledger.stats.v1')).toMatchObject({ configs: { 'cleanup.policy': 'compact' }, personal: false });
    const table = await runLedger(['kafka', 'topics'], env());
    expect(table.stdout).toContain('cadre-ledger.events.v1');
    expect(table.stdout).toContain('cleanup.policy=compact');
  });

  it('refuses --create without brokers, and a bad setting, with exit 2', async () => {
    const noBrokers = await runLedger(['kafka', 'topics', '--create'], env());
    expect(noBrokers.code).toBe(2);
    expect(noBrokers.stderr).toContain('KAFKA_BROKERS');
    const bad = await runLedger(['kafka', 'topics'], env({ KAFKA_TOPIC_PARTITIONS: 'many' }));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('KAFKA_TOPIC_PARTITIONS');
  });
});
