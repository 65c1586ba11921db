export { InMemoryEventStore, type InMemoryEventStoreOptions } from './in-memory-event-store';
