/**
 * @cadre-ledger/messaging: the versioned Kafka contracts (`contracts/`) and the relay that
 * publishes the store's events and the eligibility changes (`kafka/`).
 */
export * from './contracts/ledger-event.v1';
export * from './contracts/eligibility.v1';
export * from './contracts/ledger-event.v2';
export * from './contracts/ledger-event.v3';
export * from './contracts/eligibility.v2';
export * from './contracts/stats.v1';
export { CONTRACTS, contractJsonSchema, contractSchemaText, schemaDigest } from './contracts/schemas';
export { KafkaRelay, relayMigrations, RELAY_MIGRATIONS_NAMESPACE, enqueueEligibilitySnapshot, DEFAULT_TOPICS, type RelayOptions, type RelayTopics } from './kafka/relay';
export { startKafkaRelay, type KafkaRelayRuntime, type KafkaRelayRuntimeOptions, type RelayStatus } from './kafka/relay-runtime';
export { createKafka, kafkaClientOptions, routedLogs, type KafkaLogSink } from './kafka/client';
export { topicPlan, ensureTopics, TREE_HEADS_TOPIC, CHECKPOINTS_TOPIC, type TopicSpec, type EnsureTopicsResult } from './kafka/topics';
export { registerRelayMetrics } from './kafka/metrics';
