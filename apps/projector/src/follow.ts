import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { Ledger, type Evaluator } from '@cadre-ledger/application';
import { checkpointNote, checkpointsToFile, headsToFile, logOrigin, startTransparencyLog, witnessEndpoints, type CosignatureGatherer, type SigningKey, type StoredCheckpoint, type TreeHead } from '@cadre-ledger/audit';
import type { EventStore } from '@cadre-ledger/event-store';
import { CHECKPOINTS_TOPIC, createKafka, startKafkaRelay, TREE_HEADS_TOPIC, type KafkaLogSink, type KafkaRelayRuntime } from '@cadre-ledger/messaging';
import type { KafkaConfig, LedgerConfig } from '@cadre-ledger/platform';
import type { RuleBook } from '@cadre-ledger/policy';
import { migrateReadModels, startReadModels, type ReadModelRuntime } from '@cadre-ledger/projections';
import { conflictReactions, startClock } from '@cadre-ledger/clock';

export interface Following {
  /** The read models' runtime; null where the consumer-group replicas project them. */
  readModels: ReadModelRuntime | null;
  /** The Kafka relay, when brokers are configured (its status and lag feed /metrics and /health). */
  relay: KafkaRelayRuntime | null;
  /** The witnesses asked to cosign each checkpoint and how they answered (/metrics, /health details); null without checkpoints. */
  witnessing: CosignatureGatherer | null;
  /** Stops the relay, then projector and clock. */
  stop(): Promise<void>;
}

/**
 * What follows the store: the influence clock (always, from its own checkpoint), the read models
 * (unless `readModelsBy` is `kafka-group`: then the consumer-group replicas project them and this
 * process only relays), the Kafka relay when brokers are given, and the ledger-wide log's heads:
 * what `npm start` runs beside the API and `npm run start:projector` runs alone.
 */
export async function startFollowing(options: {
  pool: Pool;
  store: EventStore;
  ruleBook: RuleBook;
  /** KAFKA_*: the relay runs when brokers are given. */
  kafka: KafkaConfig;
  /** For the stats topic (LEDGER_SMALL_COUNT_THRESHOLD). */
  smallCountThreshold?: number;
  log: (line: string) => void;
  /** Where kafkajs' and the relay's log lines go (the service's logger); default: `log`. */
  kafkaLog?: KafkaLogSink;
  evaluator?: Evaluator;
  /** Who projects the read models (LEDGER_READ_MODELS_BY); default this process. */
  readModelsBy?: 'follow' | 'kafka-group';
  /** The ledger-wide log and its signed heads (where they are published besides the database). */
  transparency?: { key: SigningKey | null; headIntervalMs?: number; headsFile?: string; witnessing?: LedgerConfig['witnessing'] };
}): Promise<Following> {
  const { pool, store, ruleBook, kafka, log, evaluator } = options;
  const brokers = kafka.brokers;
  const kafkaLog: KafkaLogSink = options.kafkaLog ?? ((level, message) => log(`${level}: ${message}`));
  const ledger = new Ledger({ store, ruleBook, now: () => new Date(), newEventId: randomUUID, evaluator });
  const today = () => ledger.today();
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const clock = await startClock({ pool, store, ruleBook, ledger, today, onError: (error) => log(`influence clock: ${String(error)}`) });
    stops.push(() => clock.stop());
    let readModels: ReadModelRuntime | null = null;
    // The read models' tables are there whoever fills them (the relay drains their outbox).
    await migrateReadModels(pool);
    if ((options.readModelsBy ?? 'follow') === 'follow') {
      const started = await startReadModels({
        pool, store, ruleBook, today, eligibilityOutbox: brokers.length > 0, evaluator, onProjected: conflictReactions({ ledger, today }).onProjected,
        onError: (error) => log(`read models: ${String(error)}`),
      });
      readModels = started;
      stops.push(() => started.stop());
    }
    let kafkaAudit: Awaited<ReturnType<typeof auditToKafka>> | undefined;
    let relay: KafkaRelayRuntime | null = null;
    if (brokers.length > 0) {
      const started = await startKafkaRelay({
        pool, store, kafka, log: kafkaLog, today: () => ledger.today(), smallCountThreshold: options.smallCountThreshold ?? 5,
        onError: (error) => kafkaLog('error', `kafka relay: ${String(error)}`, {}),
      });
      relay = started;
      stops.push(() => started.stop());
      const audit = await auditToKafka(kafka, kafkaLog);
      stops.push(() => audit.stop());
      kafkaAudit = audit;
    }
    let witnessing: CosignatureGatherer | null = null;
    if (options.transparency) {
      const { key, headIntervalMs, headsFile, witnessing: checkpoints } = options.transparency;
      const toFile = headsFile ? headsToFile(headsFile) : undefined;
      const checkpointsFile = checkpoints?.checkpointsFile ? checkpointsToFile(checkpoints.checkpointsFile) : undefined;
      const transparency = await startTransparencyLog({
        pool,
        store,
        key,
        headIntervalMs,
        publish: async (head) => {
          await toFile?.(head);
          await kafkaAudit?.head(head);
        },
        checkpoints: key && checkpoints
          ? {
              origin: logOrigin(checkpoints.origin, key.publicKey),
              witnesses: witnessEndpoints(checkpoints.witnesses),
              retryMs: checkpoints.retrySeconds * 1000,
              publish: async (checkpoint) => {
                await checkpointsFile?.(checkpoint);
                await kafkaAudit?.checkpoint(checkpoint);
              },
            }
          : undefined,
        onError: (error) => log(`transparency log: ${String(error)}`),
      });
      stops.push(() => transparency.stop());
      witnessing = transparency.witnessing;
    }
    return { readModels, relay, witnessing, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Signed heads (`cadre-ledger.tree-heads.v1`, JSON) and checkpoints with their cosignatures
 * (`cadre-ledger.checkpoints.v1`, the signed note as text) on Kafka too, key = tree size: they then
 * live outside the database.
 */
async function auditToKafka(kafka: KafkaConfig, log: KafkaLogSink): Promise<{ head: (head: TreeHead) => Promise<void>; checkpoint: (checkpoint: StoredCheckpoint) => Promise<void>; stop: () => Promise<void> }> {
  const producer = createKafka(kafka, log, 'tree-heads').producer({ allowAutoTopicCreation: true });
  await producer.connect();
  return {
    head: async (head) => {
      await producer.send({ topic: TREE_HEADS_TOPIC, messages: [{ key: String(head.treeSize), value: JSON.stringify(head) }] });
    },
    checkpoint: async (checkpoint) => {
      await producer.send({ topic: CHECKPOINTS_TOPIC, messages: [{ key: String(checkpoint.treeSize), value: checkpointNote(checkpoint), headers: { 'content-type': 'text/plain; charset=utf-8' } }] });
    },
    stop: () => producer.disconnect(),
  };
}

export { CHECKPOINTS_TOPIC, TREE_HEADS_TOPIC };
