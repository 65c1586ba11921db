/**
 * The EventStoreDB stand-in as a server from 21.10 on presents itself (see esdb-standin.ts):
 * ServerFeatures.GetSupportedMethods lists Streams.BatchAppend, and the client then sends every
 * append through that bidirectional call instead of Streams.Append. Production servers take
 * this path, so the contract runs through it too. A TEST DOUBLE: never used by the application.
 *
 * BatchAppend: requests carry a correlation id; the first carries the options, every one some
 * proposed events, the last `is_final`. The answer per correlation id is success, or a
 * google.rpc.Status whose details pack the WrongExpectedVersion the client unpacks into its error.
 */
import * as grpc from '@grpc/grpc-js';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty as ProtobufEmpty } from 'google-protobuf/google/protobuf/empty_pb';
import { BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import { AllStreamPosition, UUID, WrongExpectedVersion } from '@eventstore/db-client/generated/shared_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import type { AppendOutcome, ExpectedState, ProposedEvent } from './esdb-standin-log';
import { proposedEvent, streamNameOf } from './esdb-standin-messages';

/** What this stand-in serves; a real server lists every method it has. */
export function supportedMethods(withBatchAppend: boolean): SupportedMethods {
  const methods = ['Read', 'Append', ...(withBatchAppend ? ['BatchAppend'] : [])].map((name) =>
    new SupportedMethod().setServiceName('event_store.client.streams.Streams').setMethodName(name),
  );
  return new SupportedMethods().setMethodsList(methods).setEventStoreServerVersion('stand-in');
}

type Apply = (stream: string, expected: ExpectedState, events: ProposedEvent[]) => Promise<AppendOutcome>;

export function handleBatchAppend(apply: Apply, call: grpc.ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void {
  const pending = new Map<string, { options?: BatchAppendReq.Options; events: ProposedEvent[] }>();
  call.on('data', (request: BatchAppendReq) => {
    const correlationId = request.getCorrelationId()?.getString() ?? '';
    const batch = pending.get(correlationId) ?? { events: [] };
    pending.set(correlationId, batch);
    if (request.hasOptions()) batch.options = request.getOptions();
    batch.events.push(...request.getProposedMessagesList().map(proposedEvent));
    if (!request.getIsFinal()) return;
    pending.delete(correlationId);
    const options = batch.options;
    if (!options) return void call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'batch append without options' });
    const stream = streamNameOf(options.getStreamIdentifier());
    void apply(stream, expectedState(options), batch.events).then(
      (outcome) => call.write(batchResponse(correlationId, options, outcome)),
      (error: Error) => call.emit('error', { code: grpc.status.INTERNAL, details: error.message }),
    );
  });
  // The client keeps one BatchAppend call open for all its appends, and ends it on dispose.
  call.on('end', () => call.end());
}

function expectedState(options: BatchAppendReq.Options): ExpectedState {
  switch (options.getExpectedStreamPositionCase()) {
    case BatchAppendReq.Options.ExpectedStreamPositionCase.STREAM_POSITION:
      return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
    case BatchAppendReq.Options.ExpectedStreamPositionCase.NO_STREAM:
      return { kind: 'no-stream' };
    case BatchAppendReq.Options.ExpectedStreamPositionCase.STREAM_EXISTS:
      return { kind: 'stream-exists' };
    default:
      return { kind: 'any' };
  }
}

function batchResponse(correlationId: string, options: BatchAppendReq.Options, outcome: AppendOutcome): BatchAppendResp {
  const response = new BatchAppendResp().setCorrelationId(new UUID().setString(correlationId)).setStreamIdentifier(options.getStreamIdentifier());
  if (outcome.ok) {
    const position = new AllStreamPosition().setCommitPosition(String(outcome.position)).setPreparePosition(String(outcome.position));
    return response.setSuccess(new BatchAppendResp.Success().setCurrentRevision(String(outcome.currentRevision)).setPosition(position));
  }
  const wrong = new WrongExpectedVersion();
  if (outcome.current === 'no-stream') wrong.setCurrentNoStream(new ProtobufEmpty());
  else wrong.setCurrentStreamRevision(String(outcome.current));
  const expected = outcome.expected;
  if (expected.kind === 'revision') wrong.setExpectedStreamPosition(String(expected.revision));
  else if (expected.kind === 'no-stream') wrong.setExpectedNoStream(new ProtobufEmpty());
  else if (expected.kind === 'stream-exists') wrong.setExpectedStreamExists(new ProtobufEmpty());
  else wrong.setExpectedAny(new ProtobufEmpty());
  const details = new Any();
  details.pack(wrong.serializeBinary(), 'event_store.client.WrongExpectedVersion');
  return response.setError(new Status().setCode(Code.FAILED_PRECONDITION).setMessage('WrongExpectedVersion').setDetails(details));
}
