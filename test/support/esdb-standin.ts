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
 * revision mapping (number / no-stream / any) and the WrongExpectedVersion result the client
 * turns into its error; event ids, types, JSON data and custom metadata through protobuf;
 * `created` ticks into `recordedAt`; `$all` commit positions into `globalPosition` (sparse,
 * not revisions); stream-not-found on reads; reads of `$all` that start AT a position while
 * subscriptions start AFTER it; the subscription's confirmation, catch-up, caught-up, live
 * events and the server-side stream-name filter; system events in `$all` that must be skipped.
 *
 * What it cannot prove: anything about the server itself: clustering, leader election and
 * gossip, durability and fsync, scavenging, stream metadata and ACLs, the server's own
 * idempotency for re-sent event ids, real `$all` position arithmetic (commit vs prepare
 * positions of a multi-event write as the server lays them out), the server's batching,
 * checkpoint cadence and back-pressure. Run the contract against a real server
 * (`EVENTSTORE_CONNECTION_STRING`) for those.
 *
 * Implemented: Streams.Append; Streams.Read of a stream (both directions) and of `$all`
 * (forwards), with a count; Streams.Read as a catch-up subscription to `$all` with a stream-name
 * or event-type filter. Everything else answers UNIMPLEMENTED: the client's own server-features
 * probe gets UNIMPLEMENTED too, which the client takes to mean "a server without BatchAppend" and
 * so sends every append through Streams.Append.
 */
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { AppendReq, AppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { type ExpectedState, type LogRecord, type ProposedEvent, StandInLog } from './esdb-standin-log';

export interface EsdbStandIn {
  /** `esdb://127.0.0.1:PORT?tls=false`: what `EVENTSTORE_CONNECTION_STRING` would hold for a server. */
  readonly connectionString: string;
  readonly log: StandInLog;
  /**
   * Test hook, awaited after an append request arrived and before it is applied: lets a test
   * put a concurrent write in between, deterministically, to reach the server-side conflict.
   */
  beforeAppend?: (stream: string) => Promise<void> | void;
  /** Test hook: edits a stored event's JSON data or custom metadata in place. */
  tamperJson(stream: string, revision: number, mutate: (json: { data: Record<string, unknown>; metadata: Record<string, unknown> }) => void): void;
  close(): Promise<void>;
}

const utf8 = (bytes: Uint8Array | string): string => (typeof bytes === 'string' ? Buffer.from(bytes, 'base64').toString('utf8') : Buffer.from(bytes).toString('utf8'));
const bytesOf = (value: Uint8Array | string): Uint8Array => (typeof value === 'string' ? Buffer.from(value, 'base64') : value);

/** The events a real server writes for itself before any application event: `$all` is never only ours. */
function seedSystemEvents(log: StandInLog): void {
  log.append('$settings', { kind: 'any' }, [
    { id: randomUUID(), type: '$settings', contentType: 'application/json', data: Buffer.from('{"$userStreamAcl":{}}'), customMetadata: new Uint8Array() },
  ]);
}

export async function startEsdbStandIn(): Promise<EsdbStandIn> {
  const log = new StandInLog();
  seedSystemEvents(log);
  const server = new grpc.Server();
  const standIn: EsdbStandIn = {
    connectionString: '',
    log,
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

  server.addService(StreamsService, {
    append: (call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>) =>
      handleAppend(standIn, call, callback),
    read: (call: grpc.ServerWritableStream<ReadReq, ReadResp>) => handleRead(log, call),
    delete: unimplemented,
    tombstone: unimplemented,
    batchAppend: unimplementedStream,
  });

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

function unimplementedStream(call: grpc.ServerDuplexStream<unknown, unknown>): void {
  call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'not implemented by the EventStoreDB stand-in' });
}

// ---- Append: client-streaming, the options message first, then one message per event ----

function handleAppend(
  standIn: EsdbStandIn,
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
    void (async () => {
      if (!options) return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'append without options' });
      const stream = utf8(options.getStreamIdentifier()?.getStreamName_asU8() ?? new Uint8Array());
      await standIn.beforeAppend?.(stream);
      const outcome = standIn.log.append(stream, expectedState(options), events);
      callback(null, appendResponse(outcome));
    })().catch((error: Error) => callback({ code: grpc.status.INTERNAL, details: error.message }));
  });
}

function proposedEvent(message: AppendReq.ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  return {
    id: message.getId()?.getString() ?? randomUUID(),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: bytesOf(message.getData()),
    customMetadata: bytesOf(message.getCustomMetadata()),
  };
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

function appendResponse(outcome: ReturnType<StandInLog['append']>): AppendResp {
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
    const stream = utf8(streamOptions.getStreamIdentifier()?.getStreamName_asU8() ?? new Uint8Array());
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
  if (allOptions && forwards) {
    const from = allOptions.hasPosition() ? BigInt(allOptions.getPosition()!.getCommitPosition()) : allOptions.hasEnd() ? 'end' : 'start';
    const matches = filterOf(options);
    if (!options.hasSubscription()) {
      const records = log.readAll(from, true).filter(matches).slice(0, Number(count));
      for (const record of records) call.write(eventResponse(record));
      call.end();
    return;
    }
    return subscribeToAll(log, call, from, matches, options.hasFilter());
  }
  call.emit('error', statusError(grpc.status.UNIMPLEMENTED, 'the EventStoreDB stand-in reads streams, $all forwards and subscriptions to $all only'));
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

function filterOf(options: ReadReq.Options): (record: LogRecord) => boolean {
  const filter = options.getFilter();
  if (!filter) return () => true;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier() : filter.getEventType();
  const prefixes = expression?.getPrefixList() ?? [];
  const regex = expression?.getRegex() ? new RegExp(expression.getRegex()) : undefined;
  return (record) => {
    const subject = onStream ? record.stream : record.type;
    if (prefixes.length > 0) return prefixes.some((prefix) => subject.startsWith(prefix));
    return regex ? regex.test(subject) : true;
  };
}

function eventResponse(record: LogRecord): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent()
    .setId(new UUID().setString(record.id))
    .setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(record.stream)))
    .setStreamRevision(String(record.revision))
    .setPreparePosition(String(record.position))
    .setCommitPosition(String(record.position))
    .setData(record.data)
    .setCustomMetadata(record.customMetadata);
  recorded.getMetadataMap().set('type', record.type).set('content-type', record.contentType).set('created', String(record.created));
  const event = new ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(String(record.position));
  return new ReadResp().setEvent(event);
}

function statusError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}
