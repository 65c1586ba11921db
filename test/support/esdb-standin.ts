/**
 * EventStoreDB stand-in: an in-process gRPC server on 127.0.0.1 that registers the
 * `StreamsService` definition generated inside `@eventstore/db-client` and implements the part
 * of it the ledger's adapter uses. A TEST DOUBLE: never used by the application.
 *
 * Why it exists: no EventStoreDB server can be installed on the CI machines, and an adapter that
 * never runs is an adapter nobody knows works. With this, the real client connects with
 * `esdb://127.0.0.1:PORT?tls=false` exactly as to a server, and the shared contract suite judges
 * the EventStoreDB adapter in every run.
 *
 * What it proves: the adapter's use of the real client and of the wire protocol: expected
 * revision mapping (number / no-stream / any), and the refusal the client turns into its
 * WrongExpectedVersionError on both append paths (Append's result message, BatchAppend's
 * google.rpc.Status with packed details); event ids, types, JSON data and custom metadata
 * through protobuf; `created` (100 ns ticks) into a microsecond `recordedAt`; `$all` commit
 * positions into `globalPosition` (sparse, never revisions); stream-not-found on reads; reads of
 * `$all` that start AT a position while subscriptions start AFTER it, and fail at a position
 * where no record starts (a server reads its log at that byte offset); the subscription's
 * confirmation, catch-up, checkpoint, caught-up and live events with the stream-name filter the
 * adapter sends; the server's own events in `$all`, which the adapter must leave out.
 *
 * What it cannot prove: anything about the server itself: clustering, leader election and
 * gossip, durability and fsync, scavenging, TLS, authentication, ACLs (reading `$all` needs
 * rights on a secure server), stream metadata, the server's positional idempotency for re-sent
 * event ids, real `$all` position arithmetic (commit and prepare positions as the server lays
 * out a multi-event write; the stand-in assumes one position per event, commit = prepare),
 * whether every event of one write gets the same `created`, append size limits, deadlines,
 * checkpoint cadence, slow-subscriber drops and back-pressure. Run the same contract against a
 * real server (`EVENTSTORE_CONNECTION_STRING`) for those.
 *
 * Implemented: Streams.Append and Streams.BatchAppend (esdb-standin-batch.ts); Streams.Read of
 * a stream and of `$all` (both directions), with a count; Streams.Read as a catch-up
 * subscription to `$all` with a stream-name prefix filter; ServerFeatures, in the mode
 * that has it. Everything else answers UNIMPLEMENTED.
 *
 * Two modes, because the client picks its append RPC from the server's answer on connect:
 * `'batch-append'` (default) answers ServerFeatures with BatchAppend listed, as servers from
 * 21.10 on do, and the client appends through BatchAppend; `'append'` leaves ServerFeatures
 * UNIMPLEMENTED, as on a 20.x server, and the client falls back to Streams.Append. Gossip is
 * never asked for: a single-host `esdb://` connection string does not discover.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { AppendReq, AppendResp, BatchAppendReq, BatchAppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty, StreamIdentifier } from '@eventstore/db-client/generated/shared_pb';
import { handleBatchAppend, supportedMethods } from './esdb-standin-batch';
import { type AppendOutcome, type ExpectedState, type LogRecord, type ProposedEvent, StandInLog } from './esdb-standin-log';
import { eventResponse, proposedEvent, streamNameOf } from './esdb-standin-messages';

export type EsdbStandInMode = 'batch-append' | 'append';

export interface EsdbStandIn {
  /** `esdb://127.0.0.1:PORT?tls=false`: what `EVENTSTORE_CONNECTION_STRING` would hold for a server. */
  readonly connectionString: string;
  readonly log: StandInLog;
  /** How many calls each implemented RPC received, by method name: which wire path the client took. */
  readonly calls: Record<'Append' | 'BatchAppend' | 'Read' | 'GetSupportedMethods', number>;
  /**
   * Test hook, awaited after an append request arrived and before it is applied: lets a test
   * put a concurrent write in between, deterministically, to reach the server-side conflict.
   */
  beforeAppend?: (stream: string) => Promise<void> | void;
  /** Test hook: edits a stored event's JSON data or custom metadata in place. */
  tamperJson(stream: string, revision: number, mutate: (json: { data: Record<string, unknown>; metadata: Record<string, unknown> }) => void): void;
  close(): Promise<void>;
}

const utf8 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The events a real server writes for itself before any application event: `$all` is never only ours. */
function seedSystemEvents(log: StandInLog): void {
  log.append('$settings', { kind: 'any' }, [
    { id: randomUUID(), type: '$settings', contentType: 'application/json', data: Buffer.from('{"$userStreamAcl":{}}'), customMetadata: new Uint8Array() },
  ]);
}

export async function startEsdbStandIn(mode: EsdbStandInMode = 'batch-append'): Promise<EsdbStandIn> {
  const log = new StandInLog();
  seedSystemEvents(log);
  const server = new grpc.Server();
  const standIn: EsdbStandIn = {
    connectionString: '',
    log,
    calls: { Append: 0, BatchAppend: 0, Read: 0, GetSupportedMethods: 0 },
    tamperJson(stream, revision, mutate) {
      log.tamper(stream, revision, (record) => {
        const json = { data: JSON.parse(utf8(record.data)), metadata: JSON.parse(utf8(record.customMetadata)) };
        mutate(json);
        record.data = Buffer.from(JSON.stringify(json.data));
        record.customMetadata = Buffer.from(JSON.stringify(json.metadata));
      });
    },
    close: () => shutdown(server),
  };

  // Both append RPCs apply here, after the test's hook had its chance to write first.
  const apply = async (stream: string, expected: ExpectedState, events: ProposedEvent[]): Promise<AppendOutcome> => {
    // A server parses every event id as a UUID and fails the append otherwise.
    const invalid = events.find((event) => !UUID_PATTERN.test(event.id));
    if (invalid) throw new Error(`event id ${invalid.id} is not a UUID`);
    await standIn.beforeAppend?.(stream);
    return log.append(stream, expected, events);
  };
  server.addService(StreamsService, {
    append: (call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>) => {
      standIn.calls.Append += 1;
      handleAppend(apply, call, callback);
    },
    batchAppend: (call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>) => {
      standIn.calls.BatchAppend += 1;
      handleBatchAppend(apply, call);
    },
    read: (call: grpc.ServerWritableStream<ReadReq, ReadResp>) => {
      standIn.calls.Read += 1;
      handleRead(log, call);
    },
    delete: unimplemented,
    tombstone: unimplemented,
  });
  if (mode === 'batch-append') {
    server.addService(ServerFeaturesService, {
      getSupportedMethods: (_call: unknown, callback: grpc.sendUnaryData<ReturnType<typeof supportedMethods>>) => {
        standIn.calls.GetSupportedMethods += 1;
        callback(null, supportedMethods(true));
      },
    });
  }

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return Object.assign(standIn, { connectionString: `esdb://127.0.0.1:${port}?tls=false` });
}

function shutdown(server: grpc.Server): Promise<void> {
  // forceShutdown: live subscriptions never end on their own, and waiting for them would hang.
  server.forceShutdown();
  return Promise.resolve();
}

function unimplemented(_call: unknown, callback: grpc.sendUnaryData<never>): void {
  callback({ code: grpc.status.UNIMPLEMENTED, details: 'not implemented by the EventStoreDB stand-in' });
}

// ---- Append: client-streaming, the options message first, then one message per event ----

function handleAppend(
  apply: (stream: string, expected: ExpectedState, events: ProposedEvent[]) => Promise<AppendOutcome>,
  call: grpc.ServerReadableStream<AppendReq, AppendResp>,
  callback: grpc.sendUnaryData<AppendResp>,
): void {
  let options: AppendReq.Options | undefined;
  const events: ProposedEvent[] = [];
  call.on('data', (request: AppendReq) => {
    if (request.hasOptions()) options = request.getOptions();
    const message = request.getProposedMessage();
    if (message) events.push(proposedEvent(message));
  });
  call.on('end', () => {
    if (!options) return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'append without options' });
    apply(streamNameOf(options.getStreamIdentifier()), expectedState(options), events).then(
      (outcome) => callback(null, appendResponse(outcome)),
      (error: Error) => callback({ code: grpc.status.INTERNAL, details: error.message }),
    );
  });
}

function expectedState(options: AppendReq.Options): ExpectedState {
  switch (options.getExpectedStreamRevisionCase()) {
    case AppendReq.Options.ExpectedStreamRevisionCase.REVISION:
      return { kind: 'revision', revision: BigInt(options.getRevision()) };
    case AppendReq.Options.ExpectedStreamRevisionCase.NO_STREAM:
      return { kind: 'no-stream' };
    case AppendReq.Options.ExpectedStreamRevisionCase.STREAM_EXISTS:
      return { kind: 'stream-exists' };
    default:
      return { kind: 'any' };
  }
}

function appendResponse(outcome: AppendOutcome): AppendResp {
  const response = new AppendResp();
  if (outcome.ok) {
    const position = new AppendResp.Position().setCommitPosition(String(outcome.position)).setPreparePosition(String(outcome.position));
    response.setSuccess(new AppendResp.Success().setCurrentRevision(String(outcome.currentRevision)).setPosition(position));
    return response;
  }
  // Answered as a result, not a gRPC error: that is how a server reports it on Streams.Append.
  const wrong = new AppendResp.WrongExpectedVersion();
  if (outcome.current === 'no-stream') wrong.setCurrentNoStream(new Empty());
  else wrong.setCurrentRevision(String(outcome.current));
  const expected = outcome.expected;
  if (expected.kind === 'revision') wrong.setExpectedRevision(String(expected.revision));
  else if (expected.kind === 'no-stream') wrong.setExpectedNoStream(new Empty());
  else if (expected.kind === 'stream-exists') wrong.setExpectedStreamExists(new Empty());
  else wrong.setExpectedAny(new Empty());
  return response.setWrongExpectedVersion(wrong);
}

// ---- Read: a stream, `$all`, or a catch-up subscription to `$all` ----

function handleRead(log: StandInLog, call: grpc.ServerWritableStream<ReadReq, ReadResp>): void {
  const options = call.request.getOptions();
  if (!options) return void call.emit('error', statusError(grpc.status.INVALID_ARGUMENT, 'read without options'));
  const count = options.hasCount() ? BigInt(options.getCount()) : BigInt(Number.MAX_SAFE_INTEGER);
  const forwards = options.getReadDirection() === ReadReq.Options.ReadDirection.FORWARDS;
  const streamOptions = options.getStream();
  const allOptions = options.getAll();

  if (streamOptions && !options.hasSubscription()) {
    const stream = streamNameOf(streamOptions.getStreamIdentifier());
    const from = streamOptions.hasRevision() ? BigInt(streamOptions.getRevision()) : streamOptions.hasEnd() ? 'end' : 'start';
    const records = log.readStream(stream, from, forwards ? 'forwards' : 'backwards', count);
    if (!records) {
      const notFound = new ReadResp.StreamNotFound().setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(stream)));
      call.write(new ReadResp().setStreamNotFound(notFound));
    } else {
      for (const record of records) call.write(eventResponse(record));
    }
    call.end();
    return;
  }
  if (allOptions) {
    const from = allOptions.hasPosition() ? BigInt(allOptions.getPosition()!.getCommitPosition()) : allOptions.hasEnd() ? 'end' : 'start';
    if (typeof from === 'bigint' && !log.isReadableFrom(from)) {
      // What a server answers when it finds no record where the position points.
      call.emit('error', statusError(grpc.status.UNKNOWN, `no log record starts at position ${from}`));
      return;
    }
    const matches = filterOf(options);
    if (!matches) {
      call.emit('error', statusError(grpc.status.UNIMPLEMENTED, 'the EventStoreDB stand-in filters on stream-name prefixes only'));
      return;
    }
    if (options.hasSubscription()) {
      if (forwards) return subscribeToAll(log, call, from, matches, options.hasFilter());
    } else {
      const records = forwards ? log.readAll(from, true) : from === 'start' ? [] : log.readAllBackwards(from, count);
      for (const record of records.filter(matches).slice(0, Number(count))) call.write(eventResponse(record));
      call.end();
      return;
    }
  }
  call.emit('error', statusError(grpc.status.UNIMPLEMENTED, 'the EventStoreDB stand-in reads streams, $all and forward subscriptions to $all only'));
}

/**
 * Confirmation, then every matching event after `from`, then "caught up", then live events.
 * Catch-up and registering for live events happen in one synchronous step, so no append can fall
 * between them: nothing missed, nothing twice.
 */
function subscribeToAll(
  log: StandInLog,
  call: grpc.ServerWritableStream<ReadReq, ReadResp>,
  from: bigint | 'start' | 'end',
  matches: (record: LogRecord) => boolean,
  filtered: boolean,
): void {
  call.write(new ReadResp().setConfirmation(new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID())));
  const existing = log.readAll(from, false);
  for (const record of existing.filter(matches)) call.write(eventResponse(record));
  const last = existing[existing.length - 1];
  // A filtered subscription reports how far it has searched, even when nothing matched.
  if (filtered && last) {
    const position = String(last.position);
    call.write(new ReadResp().setCheckpoint(new ReadResp.Checkpoint().setCommitPosition(position).setPreparePosition(position)));
  }
  call.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
  const stop = log.follow((record) => {
    if (matches(record)) call.write(eventResponse(record));
  });
  call.on('cancelled', stop);
  call.on('close', stop);
}

/** The filter the adapter sends: stream-name prefixes. `undefined` for any other filter, which the stand-in lacks. */
function filterOf(options: ReadReq.Options): ((record: LogRecord) => boolean) | undefined {
  const filter = options.getFilter();
  if (!filter) return () => true;
  const prefixes = filter.getStreamIdentifier()?.getPrefixList() ?? [];
  if (prefixes.length === 0) return undefined;
  return (record) => prefixes.some((prefix) => record.stream.startsWith(prefix));
}

function statusError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}
