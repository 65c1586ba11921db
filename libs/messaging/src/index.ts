/**
 * @cadre-ledger/messaging: the versioned Kafka contracts (`contracts/`) and the relay that
 * publishes the store's events and the eligibility changes (`kafka/`).
 */
export * from './contracts/ledger-event.v1';
export * from './contracts/eligibility.v1';
export { KafkaRelay, relayMigrations, RELAY_MIGRATIONS_NAMESPACE, type RelayOptions } from './kafka/relay';
export { startKafkaRelay, type KafkaRelayRuntime, type KafkaRelayRuntimeOptions } from './kafka/relay-runtime';
