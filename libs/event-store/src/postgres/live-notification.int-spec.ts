import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database';
import { waitFor } from '../../../../test/support/wait-for';
import { iterate, newEvent, take, uniqueStream } from '../contract';
import { PostgresEventStore } from './postgres-event-store';
import type { PostgresSubscription } from './subscription';

jest.setTimeout(60_000);

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('notify');
});

afterAll(async () => {
  await database.drop();
});

describe('live subscriptions (PostgreSQL)', () => {
  it('wake on LISTEN/NOTIFY for an append made by another process, not on the safety poll', async () => {
    // The safety poll is ten minutes: an event arriving within the deadline came by notification.
    const reader = await PostgresEventStore.open({ connectionString: database.url, safetyPollMs: 600_000 });
    const writer = await PostgresEventStore.open({ connectionString: database.url });
    const stream = uniqueStream();
    const subscription = reader.subscribeToAll() as PostgresSubscription;
    const iterator = iterate(subscription);
    try {
      const first = (await writer.appendToStream(stream, [newEvent()], { expectedRevision: 'no-stream' })).events;
      expect(await take(iterator, 1, (event) => event.stream === stream, 15_000)).toEqual(first);

      // Ask for the next event and let the subscription settle into its (ten-minute) wait: from
      // there, only a notification can make it read again.
      const next = iterator.next();
      await waitFor(() => subscription.waitingForCommits, { timeoutMs: 15_000, description: 'the subscription to wait for commits' });
      const second = (await writer.appendToStream(stream, [newEvent()], { expectedRevision: 0 })).events;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 15_000)));
      const woken = await Promise.race([next, deadline]);
      clearTimeout(timer);
      expect(woken).toEqual({ done: false, value: second[0] });
    } finally {
      await subscription.close();
      await reader.close();
      await writer.close();
    }
  });
});
