/**
 * Reads through the client's own connection with the Read RPC of the client's generated code,
 * instead of its `readStream` / `readAll` / `subscribeToAll` wrappers.
 *
 * Why: those wrappers turn the server's `created` (100 ns ticks) into a JavaScript `Date`,
 * dropping everything below the millisecond, and the port compares `recordedAt` and `knownAt`
 * to the microsecond: two appends within one millisecond must stay in order on the recorded
 * axis. The requests built here are the ones the wrappers build (same messages, same options);
 * only the conversion of the answer is ours (`mapping.ts`), and it keeps the full precision.
 *
 * The calls go through the client's protected `GRPCStreamCreator` and `callArguments`, the
 * extension points its own operations use, so connection, discovery, credentials, reconnection
 * after a failure and `dispose()` all stay the client's. Appends use the public API unchanged.
 */
import type { CallOptions, ClientReadableStream, Metadata } from '@grpc/grpc-js';
import { convertToCommandError, type EventStoreDBClient } from '@eventstore/db-client';
import { StreamsClient } from '@eventstore/db-client/generated/streams_grpc_pb';
import { ReadReq, type ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { Empty, StreamIdentifier } from '@eventstore/db-client/generated/shared_pb';

/** The protected members used here, as the client's declaration file types them. */
interface ClientExtensionPoints {
  GRPCStreamCreator<T>(
    client: typeof StreamsClient,
    debugName: string,
    creator: (client: StreamsClient) => T,
  ): () => Promise<T>;
  callArguments(options: object, callOptions?: CallOptions): [Metadata, CallOptions];
}

export type RawReadStream = ClientReadableStream<ReadResp>;
export type RecordedEvent = ReadResp.ReadEvent.RecordedEvent;

export type StreamStart = bigint | 'start' | 'end';
export type AllStart = bigint | 'start' | 'end';

/** What to read: a stream, `$all`, or a catch-up subscription to `$all` filtered on stream-name prefixes. */
export type ReadTarget =
  | { kind: 'stream'; stream: string; from: StreamStart; backwards?: boolean; maxCount: bigint }
  | { kind: 'all'; from: AllStart; backwards?: boolean; maxCount: bigint }
  | { kind: 'subscribe-all'; from: AllStart; streamPrefixes: readonly string[] };

export function openRead(client: EventStoreDBClient, target: ReadTarget): Promise<RawReadStream> {
  const extensions = client as unknown as ClientExtensionPoints;
  const request = new ReadReq().setOptions(readOptions(target));
  // Reads and subscriptions run as long as they need to, as in the client's own wrappers.
  const create = extensions.GRPCStreamCreator(StreamsClient, 'ledgerRead', (grpcClient) =>
    grpcClient.read(request, ...extensions.callArguments({}, { deadline: Infinity })),
  );
  return create();
}

function readOptions(target: ReadTarget): ReadReq.Options {
  const options = new ReadReq.Options()
    .setResolveLinks(false)
    .setUuidOption(new ReadReq.Options.UUIDOption().setString(new Empty()))
    .setReadDirection(target.kind !== 'subscribe-all' && target.backwards ? ReadReq.Options.ReadDirection.BACKWARDS : ReadReq.Options.ReadDirection.FORWARDS);

  if (target.kind === 'stream') {
    const stream = new ReadReq.Options.StreamOptions().setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(target.stream, 'utf8')));
    if (target.from === 'start') stream.setStart(new Empty());
    else if (target.from === 'end') stream.setEnd(new Empty());
    else stream.setRevision(target.from.toString(10));
    return options.setStream(stream).setCount(target.maxCount.toString(10)).setNoFilter(new Empty());
  }

  const all = new ReadReq.Options.AllOptions();
  if (target.from === 'start') all.setStart(new Empty());
  else if (target.from === 'end') all.setEnd(new Empty());
  // For gRPC appends (implicitly committed writes) the server gives each event its own log
  // position as both commit and prepare position, so {p, p} names exactly the event at p.
  else all.setPosition(new ReadReq.Options.Position().setCommitPosition(target.from.toString(10)).setPreparePosition(target.from.toString(10)));
  options.setAll(all);
  if (target.kind === 'all') return options.setCount(target.maxCount.toString(10)).setNoFilter(new Empty());

  const prefixes = new ReadReq.Options.FilterOptions.Expression().setPrefixList([...target.streamPrefixes]);
  // Checkpoint cadence as the client's default (`checkpointInterval: 1`): the adapter ignores checkpoints.
  const filter = new ReadReq.Options.FilterOptions().setStreamIdentifier(prefixes).setCount(new Empty()).setCheckpointintervalmultiplier(1);
  return options.setSubscription(new ReadReq.Options.SubscriptionOptions()).setFilter(filter);
}

/** A finite read to its end: the recorded events in order, or `'stream-not-found'`. */
export async function readToEnd(client: EventStoreDBClient, target: ReadTarget): Promise<RecordedEvent[] | 'stream-not-found'> {
  const call = await openRead(client, target);
  const records: RecordedEvent[] = [];
  try {
    for await (const response of call as AsyncIterable<ReadResp>) {
      if (response.hasStreamNotFound()) return 'stream-not-found';
      const record = response.getEvent()?.getEvent();
      if (record) records.push(record);
    }
  } catch (error) {
    // The client's typed errors (not leader, access denied, unavailable…), as its own reads throw them.
    throw convertToCommandError(error as Error);
  }
  return records;
}
