import type { Admin, ITopicConfig } from 'kafkajs';
import type { KafkaConfig } from '@cadre-ledger/platform';
import { LEDGER_EVENTS_TOPIC } from '../contracts/ledger-event.v1';
import { ELIGIBILITY_TOPIC } from '../contracts/eligibility.v1';
import { LEDGER_EVENTS_TOPIC_V2 } from '../contracts/ledger-event.v2';
import { LEDGER_EVENTS_TOPIC_V3 } from '../contracts/ledger-event.v3';
import { ELIGIBILITY_TOPIC_V2 } from '../contracts/eligibility.v2';
import { STATS_TOPIC } from '../contracts/stats.v1';

export const TREE_HEADS_TOPIC = 'cadre-ledger.tree-heads.v1';
/** Every C2SP checkpoint with the witness cosignatures gathered for it (the signed note as text; key: tree size). */
export const CHECKPOINTS_TOPIC = 'cadre-ledger.checkpoints.v1';

export interface TopicSpec {
  topic: string;
  partitions: number;
  /** -1: the broker's default. */
  replicationFactor: number;
  configs: Record<string, string>;
  /** What it carries, and whether that is personal data. */
  purpose: string;
  personal: boolean;
}

/**
 * The topics the ledger publishes to, with the configuration each needs: the event feeds keep
 * everything (retention -1: a consumer can always start from the first event); the eligibility
 * and stats topics are compacted (the latest message per key is the current state); tree heads
 * and checkpoints on one partition each, in order, kept forever.
 */
export function topicPlan(config: Pick<KafkaConfig, 'partitions' | 'replicationFactor' | 'publishV1'>): TopicSpec[] {
  const { partitions, replicationFactor } = config;
  const keepAll = { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1' };
  const compact = { 'cleanup.policy': 'compact' };
  const plan: TopicSpec[] = [
    { topic: LEDGER_EVENTS_TOPIC_V3, partitions, replicationFactor, configs: keepAll, purpose: 'every ledger event, cadre-ledger.event.v3 (key: cadre or unit id)', personal: true },
    { topic: LEDGER_EVENTS_TOPIC_V2, partitions, replicationFactor, configs: keepAll, purpose: 'every ledger event, cadre-ledger.event.v2 (v3 without heldBy and measureTakenBy; key: cadre or unit id)', personal: true },
    { topic: ELIGIBILITY_TOPIC_V2, partitions, replicationFactor, configs: compact, purpose: 'the current verdict of every cadre, cadre-ledger.eligibility.v2 (key: cadre id)', personal: true },
    { topic: STATS_TOPIC, partitions: 1, replicationFactor, configs: compact, purpose: 'figures per unit and year, cadre-ledger.stats.v1 (key: unit/year); no personal data', personal: false },
    { topic: TREE_HEADS_TOPIC, partitions: 1, replicationFactor, configs: keepAll, purpose: 'the signed tree heads of the ledger-wide log (key: tree size)', personal: false },
    { topic: CHECKPOINTS_TOPIC, partitions: 1, replicationFactor, configs: keepAll, purpose: 'the heads as C2SP checkpoints with their witness cosignatures, signed notes (key: tree size)', personal: false },
  ];
  if (config.publishV1) {
    plan.push(
      { topic: LEDGER_EVENTS_TOPIC, partitions, replicationFactor, configs: keepAll, purpose: 'deprecated: every ledger event, cadre-ledger.event.v1', personal: true },
      { topic: ELIGIBILITY_TOPIC, partitions, replicationFactor, configs: compact, purpose: 'deprecated: verdicts, cadre-ledger.eligibility.v1', personal: true },
    );
  }
  return plan;
}

export interface EnsureTopicsResult {
  /** Created now. */
  created: string[];
  /** There already (their configuration is the operator's; not altered). */
  existing: string[];
  /** Why the admin API could not be used; the producer then relies on auto-creation. */
  fallback?: string;
}

/**
 * Creates the planned topics that do not exist, with their configuration, through the admin API.
 * Where the brokers refuse (no permission, a broker without the admin API), the topics are left to
 * auto-creation, which gives them the broker's defaults (not compacted): the caller warns.
 */
export async function ensureTopics(admin: Admin, plan: readonly TopicSpec[], timeoutMs = 10_000): Promise<EnsureTopicsResult> {
  try {
    const existing = new Set(await admin.listTopics());
    const missing = plan.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      const topics: ITopicConfig[] = missing.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions,
        replicationFactor: t.replicationFactor,
        configEntries: Object.entries(t.configs).map(([name, value]) => ({ name, value })),
      }));
      await admin.createTopics({ topics, waitForLeaders: true, timeout: timeoutMs });
    }
    return { created: missing.map((t) => t.topic), existing: plan.filter((t) => existing.has(t.topic)).map((t) => t.topic) };
  } catch (error) {
    return { created: [], existing: [], fallback: error instanceof Error ? error.message : String(error) };
  }
}
