import { WrongExpectedRevision, type AppendOptions, type AppendResult, type EventStore, type NewEvent } from '@cadre-ledger/event-store';
import type { Metrics } from './metrics';

/** The store, counting appends by type and lost races, whichever adapter sits underneath. */
export function meteredEventStore(store: EventStore, metrics: Metrics): EventStore {
  const metered: EventStore = Object.create(store) as EventStore;
  metered.appendToStream = async (stream: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> => {
    try {
      const result = await store.appendToStream(stream, events, options);
      for (const event of result.events) metrics.appends.inc({ type: event.type });
      return result;
    } catch (error) {
      if (error instanceof WrongExpectedRevision) metrics.conflicts.inc();
      throw error;
    }
  };
  return metered;
}
