import type { Command } from 'commander';
import { createKafka, ensureTopics, topicPlan, type TopicSpec } from '@cadre-ledger/messaging';
import { cliConfigFromEnv } from '../config';
import { refused, usageError } from '../exit-codes';
import { note, table, write, writeJson } from '../output';

/**
 * `ledger kafka topics`: the topics the ledger publishes to, with the partitions, replication and
 * configuration each needs (the eligibility and stats topics compacted), and which of them are
 * personal data; `--create` creates the missing ones through the admin API (what the relay also
 * does at start), for an operator whose brokers refuse the relay that right.
 */
export function registerKafka(program: Command): void {
  const kafka = program.command('kafka').description('the Kafka feed: topics and their configuration');
  kafka
    .command('topics')
    .description('print the topic plan (partitions, replication, configuration, personal data or not); --create creates the missing topics with it')
    .option('--json', 'print the plan as JSON')
    .option('--create', 'create the missing topics through the admin API (KAFKA_BROKERS, KAFKA_SASL_*, KAFKA_TLS_*)')
    .action(async (options: { json?: boolean; create?: boolean }) => {
      const config = cliConfigFromEnv();
      const plan = topicPlan(config.kafka);
      let outcome: { created: string[]; existing: string[] } | undefined;
      if (options.create) {
        if (config.kafka.brokers.length === 0) throw usageError('--create needs KAFKA_BROKERS');
        const admin = createKafka(config.kafka, (level, message) => (level === 'error' || level === 'warn' ? note(message) : undefined), 'cli').admin();
        await admin.connect();
        try {
          const result = await ensureTopics(admin, plan);
          if (result.fallback !== undefined) throw refused(`the brokers refused to create the topics: ${result.fallback}`);
          outcome = result;
        } finally {
          await admin.disconnect();
        }
      }
      if (options.json) return writeJson({ topics: plan, ...(outcome ?? {}) });
      await write(`${render(plan)}\n${outcome ? `created: ${outcome.created.join(', ') || 'none'}; already there: ${outcome.existing.join(', ') || 'none'}\n` : ''}`);
    });
}

function render(plan: readonly TopicSpec[]): string {
  const rows = table(['topic', 'partitions', 'replication', 'configuration', 'personal data', 'carries']);
  for (const t of plan) {
    rows.push([t.topic, String(t.partitions), t.replicationFactor === -1 ? 'broker default' : String(t.replicationFactor), Object.entries(t.configs).map(([k, v]) => `${k}=${v}`).join('\n'), t.personal ? 'yes' : 'no', t.purpose]);
  }
  return rows.toString();
}
