/**
 * The shared event store contract, run against the EventStoreDB adapter:
 *  - always, through the real client, against the in-process gRPC stand-in
 *    (test/support/esdb-standin.ts: what it proves and what it cannot is written there);
 *  - and against a real server when EVENTSTORE_CONNECTION_STRING is set, so the same suite
 *    judges both. Without it the run says, in its test list and on the console, that the real
 *    server was skipped.
 */
import { startEsdbStandIn, type EsdbStandIn, type EsdbStandInMode } from '../../../../test/support/esdb-standin';
import { describeEventStoreContract } from '../contract';
import { EVENTSTORE_CONNECTION_STRING } from './config';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

// Every append here is several round trips over gRPC (read, eventId claims, append, read back):
// the property test's 30 runs need more than jest's default 5 s on a busy machine.
jest.setTimeout(30_000);

/**
 * The client appends through BatchAppend when the server lists it (21.10 on, production) and
 * through Append otherwise (20.x): the stand-in plays both, so both wire paths are judged.
 */
const STAND_IN_MODES: Record<EsdbStandInMode, string> = {
  'batch-append': 'stand-in server, appends through BatchAppend',
  append: 'stand-in server without ServerFeatures, appends through Append',
};

for (const [mode, label] of Object.entries(STAND_IN_MODES) as [EsdbStandInMode, string][]) {
  describe(`EventStoreDB ${label}`, () => {
    let standIn: EsdbStandIn;
    beforeAll(async () => {
      // One stand-in per mode: the suite uses unique streams, as it must on a shared real server.
      standIn = await startEsdbStandIn(mode);
    });
    afterAll(async () => {
      await standIn.close();
    });

    describeEventStoreContract(`EventStoreDB adapter, ${label}`, async () => ({
      store: EventStoreDbEventStore.fromConnectionString(standIn.connectionString),
      tamper: async (stream, revision, data) =>
        standIn.tamperJson(stream, revision, (json) => {
          json.data = data;
        }),
      dispose: async () => undefined,
    }), { atomicAppend: false, batchReads: false });
  });
}

const connectionString = process.env[EVENTSTORE_CONNECTION_STRING]?.trim();
if (connectionString) {
  // No tamper hook: nobody can rewrite a stored event on a real server through its API.
  describeEventStoreContract(
    'EventStoreDB adapter, real server',
    async () => ({ store: EventStoreDbEventStore.fromConnectionString(connectionString), dispose: async () => undefined }),
    { tamper: false, atomicAppend: false, batchReads: false },
  );
} else {
  describe('event store contract: EventStoreDB adapter, real server', () => {
    it.skip('skipped: EVENTSTORE_CONNECTION_STRING is not set', () => undefined);
  });
  console.info('EventStoreDB contract: real server skipped (EVENTSTORE_CONNECTION_STRING is not set); the stand-in ran.');
}
