export { EventStoreDbEventStore } from './eventstoredb-event-store';
export { EVENTSTORE_CONNECTION_STRING, eventStoreDbFromEnv } from './config';
export { LEDGER_STREAM_PREFIXES, esdbEventId, type LedgerMetadata } from './mapping';
