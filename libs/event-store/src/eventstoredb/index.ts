export { EventStoreDbEventStore } from './eventstoredb-event-store';
export { LEDGER_STREAM_PREFIXES, esdbEventId, type LedgerMetadata } from './mapping';
