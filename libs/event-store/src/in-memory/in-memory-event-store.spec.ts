import { describeEventStoreContract } from '../contract';
import { InMemoryEventStore } from './in-memory-event-store';

describeEventStoreContract('in-memory', async () => {
  const store = new InMemoryEventStore();
  return {
    store,
    tamper: async (stream, revision, data) => store.tamper(stream, revision, data),
    dispose: async () => undefined,
  };
});
