export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
export { appendEvents } from './append';
export { eventStoreMigrations, EVENT_STORE_MIGRATIONS_NAMESPACE, MAX_EVENTS_PER_APPEND } from './schema';
export { EVENTS_CHANNEL } from './notifications';
export { RestoreRefused, type RestoreItem, type RestoreReport } from './restore';
