import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { Ledger } from '@cadre-ledger/application';
import { chinaDateOf } from '@cadre-ledger/domain';
import { openEventStore } from '@cadre-ledger/event-store';
import { createKafka, LEDGER_EVENTS_TOPIC_V2, type KafkaRelayRuntime } from '@cadre-ledger/messaging';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig, openDatabase } from '@cadre-ledger/platform';
import { loadSigningKey, type CosignatureGatherer } from '@cadre-ledger/audit';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { GroupProjector, Projector, migrateReadModels } from '@cadre-ledger/projections';
import { conflictReactions } from '@cadre-ledger/clock';
import { startOperationsServer } from './operations-server';
import { startFollowing } from './follow';

export interface ProjectorProcess {
  stop(): Promise<void>;
  /** Where /health, /health/live and /metrics answer. */
  operationsPort: number;
}

/**
 * The projector as a service of its own (ARCHITECTURE.md, "Where it runs"), configured by the
 * same variables as `npm start`. `PROJECTOR_MODE=follow` (default): follow the store's global
 * order, run the clock, and publish to Kafka when `KAFKA_BROKERS` is set; run one of these.
 * `PROJECTOR_MODE=kafka-group`: one replica of a consumer group on `cadre-ledger.events.v2`
 * (`KAFKA_GROUP_ID`, default `cadre-ledger-projectors`); run as many as the partitions allow,
 * next to one `follow` process that keeps the clock and the relay.
 */
export async function startProjectorProcess(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<ProjectorProcess> {
  const config = loadConfig(env);
  await mkdir(config.dataDir, { recursive: true });
  for (const name of config.unknownVariables) log(`cadre-ledger projector: warning: ${name} is set but nothing reads it`);
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => log(`shutdown: ${String(error)}`));
  };
  try {
    const database = await openDatabase(config.database, log);
    cleanups.push(() => database.stop());
    const pool = new Pool({ connectionString: database.url, max: config.databasePoolSize });
    pool.on('error', () => undefined);
    cleanups.push(() => pool.end());
    const store = await openEventStore({ databaseUrl: database.url, eventStoreConnectionString: config.eventStoreConnectionString, hashAlgorithm: config.hashAlgorithm });
    cleanups.push(() => store.close());
    const ruleBook = readRuleBook(config.ruleSetsDir);
    const brokers = config.kafka.brokers;

    let relay: KafkaRelayRuntime | null = null;
    let witnessing: CosignatureGatherer | null = null;
    if (config.projectorMode === 'kafka-group') {
      await migrateReadModels(pool);
      const member = new GroupProjector({
        kafka: createKafka(config.kafka, (level, message) => log(`${level}: ${message}`), 'projector'),
        groupId: config.kafka.groupId,
        topic: LEDGER_EVENTS_TOPIC_V2,
        pool,
        store,
        ruleBook,
        today: () => chinaDateOf(new Date().toISOString()),
        onProjected: conflictReactions({ ledger: new Ledger({ store, ruleBook, now: () => new Date(), newEventId: randomUUID }), today: () => chinaDateOf(new Date().toISOString()) }).onProjected,
        eligibilityOutbox: true,
        onError: (error) => log(`consumer-group projector: ${String(error)}`),
      });
      await member.start();
      cleanups.push(() => member.stop());
      log(`cadre-ledger projector: consumer-group member on ${brokers.join(',')}`);
    } else {
      // The follow process also keeps the ledger-wide log and signs its heads: in a deployment
      // whose API runs no projector (LEDGER_API_PROJECTOR=off), this is the one that does.
      const signingKey = loadSigningKey({ pem: config.signing.keyPem, file: config.signing.keyFile, generateInto: join(config.dataDir, 'signing-key.pem') });
      const following = await startFollowing({
        pool,
        store,
        ruleBook,
        kafka: config.kafka,
        smallCountThreshold: config.api.smallCountThreshold,
        readModelsBy: config.readModelsBy,
        log,
        transparency: { key: signingKey, headIntervalMs: config.signing.headIntervalSeconds * 1000, headsFile: config.signing.headsFile, witnessing: config.witnessing },
      });
      cleanups.push(() => following.stop());
      relay = following.relay;
      if (config.witnessing.witnesses.length > 0) witnessing = following.witnessing;
      const role = config.readModelsBy === 'kafka-group' ? ' (the clock, the relay and the heads; the consumer-group replicas project the read models)' : '';
      log(`cadre-ledger projector: following the store${brokers.length > 0 ? `, publishing to ${brokers.join(',')}` : ''}${role}`);
    }
    const operations = await startOperationsServer({
      port: config.http.projectorPort,
      host: config.http.host,
      pool,
      store,
      checkpoints: new Projector({ pool, store, ruleBook, today: () => chinaDateOf(new Date().toISOString()) }),
      mode: config.projectorMode,
      relay,
      witnessing,
    });
    // Closed first at shutdown: an orchestrator stops sending probes to a process that stops.
    cleanups.push(() => operations.close());
    log(`cadre-ledger projector: health and metrics on port ${operations.port}`);
    return { stop, operationsPort: operations.port };
  } catch (error) {
    await stop();
    throw error;
  }
}
