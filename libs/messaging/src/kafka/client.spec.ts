import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, type Admin } from 'kafkajs';
import { ConfigError, loadConfig } from '@cadre-ledger/platform';
import { kafkaClientOptions, routedLogs, type KafkaLogSink } from './client';
import { ensureTopics, topicPlan } from './topics';

/**
 * The Kafka settings as documented (docs/kafka.md): SASL and TLS reach kafkajs as asked, bad
 * combinations are refused naming the variables, kafkajs' log lines reach the service's logger,
 * and the topics are asked for with the configuration each needs. (The mock broker cannot
 * show SASL or compaction; TLS is also tested end to end in tls.int-spec.ts.)
 */
const files = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-tls-'));
  const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
  return { ca: write('ca.pem', 'CA PEM'), cert: write('client.pem', 'CERT PEM'), key: write('client.key', 'KEY PEM') };
};

describe('Kafka client settings', () => {
  it('passes SCRAM credentials and mutual TLS (CA, certificate, key read from their files) to kafkajs', () => {
    const f = files();
    const config = loadConfig({
      KAFKA_BROKERS: 'k1:9093,k2:9093',
      KAFKA_CLIENT_ID: 'ledger-prod',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_SASL_USERNAME: 'ledger',
      KAFKA_SASL_PASSWORD: 's3cret',
      KAFKA_TLS_CA_FILE: f.ca,
      KAFKA_TLS_CERT_FILE: f.cert,
      KAFKA_TLS_KEY_FILE: f.key,
    }).kafka;
    const options = kafkaClientOptions(config, undefined, 'relay');
    expect(options).toMatchObject({ brokers: ['k1:9093', 'k2:9093'], clientId: 'ledger-prod-relay', sasl: { mechanism: 'scram-sha-512', username: 'ledger', password: 's3cret' } });
    expect(options.ssl).toEqual({ rejectUnauthorized: true, ca: ['CA PEM'], cert: 'CERT PEM', key: 'KEY PEM' });
  });

  it('uses TLS with the system\'s CAs on KAFKA_TLS=on, PLAIN over it, and neither by default', () => {
    const on = kafkaClientOptions(loadConfig({ KAFKA_BROKERS: 'k:9093', KAFKA_TLS: 'on', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }).kafka);
    expect(on.ssl).toEqual({ rejectUnauthorized: true });
    expect(on.sasl).toEqual({ mechanism: 'plain', username: 'u', password: 'p' });
    const plain = kafkaClientOptions(loadConfig({ KAFKA_BROKERS: 'k:9092' }).kafka);
    expect(plain.ssl).toBeUndefined();
    expect(plain.sasl).toBeUndefined();
  });

  it('refuses half a setting, naming each variable', () => {
    const refused = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig({ KAFKA_BROKERS: 'k:9092', ...env });
      } catch (error) {
        if (error instanceof ConfigError) return error.message;
        throw error;
      }
      throw new Error('accepted');
    };
    expect(refused({ KAFKA_SASL_MECHANISM: 'scram-sha-256' })).toContain('KAFKA_SASL_MECHANISM=scram-sha-256 needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
    expect(refused({ KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toContain('without KAFKA_SASL_MECHANISM');
    expect(refused({ KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })).toContain('KAFKA_SASL_MECHANISM must be one of plain, scram-sha-256, scram-sha-512');
    expect(refused({ KAFKA_TLS_CERT_FILE: files().cert })).toContain('KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together');
    expect(refused({ KAFKA_TLS_CA_FILE: '/nowhere/ca.pem' })).toContain('KAFKA_TLS_CA_FILE must name a file that exists');
    expect(refused({ KAFKA_OMIT_FIELDS: 'name,cadreId' })).toContain('KAFKA_OMIT_FIELDS must be personal, or some of name, note, reason, summary');
    expect(loadConfig({ KAFKA_BROKERS: 'k:9092', KAFKA_OMIT_FIELDS: 'personal' }).kafka.omitFields).toEqual(['name', 'note', 'reason', 'summary']);
  });

  it('routes kafkajs\' log lines to the service\'s logger, with their level and fields', () => {
    const lines: Parameters<KafkaLogSink>[] = [];
    const kafka = new Kafka({ brokers: ['k:9092'], logCreator: routedLogs((...line) => lines.push(line)) });
    kafka.logger().warn('Connection timeout', { broker: 'k:9092', retryCount: 2 });
    kafka.logger().error('Crash', { groupId: 'g' });
    expect(lines).toEqual([
      ['warn', expect.stringContaining('Connection timeout'), expect.objectContaining({ broker: 'k:9092', retryCount: 2 })],
      ['error', expect.stringContaining('Crash'), expect.objectContaining({ groupId: 'g' })],
    ]);
  });
});

describe('the topic plan', () => {
  it('keeps every event, compacts the eligibility and stats topics, and takes partitions and replication from the configuration', () => {
    const plan = topicPlan({ partitions: 12, replicationFactor: 3, publishV1: true });
    const byName = Object.fromEntries(plan.map((t) => [t.topic, t]));
    for (const events of ['cadre-ledger.events.v3', 'cadre-ledger.events.v2']) {
      expect(byName[events]).toMatchObject({ partitions: 12, replicationFactor: 3, configs: { 'cleanup.policy': 'delete', 'retention.ms': '-1' }, personal: true });
    }
    expect(byName['cadre-ledger.eligibility.v2']).toMatchObject({ partitions: 12, replicationFactor: 3, configs: { 'cleanup.policy': 'compact' }, personal: true });
    expect(byName['cadre-ledger.stats.v1']).toMatchObject({ configs: { 'cleanup.policy': 'compact' }, personal: false });
    expect(byName['cadre-ledger.eligibility.v1']).toMatchObject({ configs: { 'cleanup.policy': 'compact' } });
    expect(topicPlan({ partitions: 6, replicationFactor: -1, publishV1: false }).map((t) => t.topic)).not.toContain('cadre-ledger.events.v1');
  });

  it('asks the admin API for the missing topics with their configuration, and falls back to auto-creation when refused', async () => {
    const asked: unknown[] = [];
    const admin = { listTopics: async () => ['cadre-ledger.events.v2'], createTopics: async (request: unknown) => (asked.push(request), true) } as unknown as Admin;
    const plan = topicPlan({ partitions: 6, replicationFactor: 3, publishV1: false });
    const result = await ensureTopics(admin, plan);
    expect(result).toEqual({ created: ['cadre-ledger.events.v3', 'cadre-ledger.eligibility.v2', 'cadre-ledger.stats.v1', 'cadre-ledger.tree-heads.v1', 'cadre-ledger.checkpoints.v1'], existing: ['cadre-ledger.events.v2'] });
    expect(asked).toEqual([
      expect.objectContaining({
        waitForLeaders: true,
        topics: expect.arrayContaining([{ topic: 'cadre-ledger.eligibility.v2', numPartitions: 6, replicationFactor: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }]),
      }),
    ]);
    const refusing = { listTopics: async () => [], createTopics: async () => Promise.reject(new Error('Cluster authorization failed')) } as unknown as Admin;
    expect(await ensureTopics(refusing, plan)).toEqual({ created: [], existing: [], fallback: 'Cluster authorization failed' });
  });
});
