/**
 * Protobuf messages of the EventStoreDB stand-in (esdb-standin.ts) to and from its log records.
 * A TEST DOUBLE: never used by the application.
 */
import { randomUUID } from 'node:crypto';
import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import type { LogRecord, ProposedEvent } from './esdb-standin-log';

/** Bytes fields arrive as Uint8Array or, from some code paths of the generated code, base64 text. */
export const bytesOf = (value: Uint8Array | string): Uint8Array => (typeof value === 'string' ? Buffer.from(value, 'base64') : value);

export const streamNameOf = (identifier: StreamIdentifier | undefined): string =>
  Buffer.from(bytesOf(identifier?.getStreamName() ?? new Uint8Array())).toString('utf8');

/** The common shape of Append's and BatchAppend's proposed messages. */
interface ProposedMessage {
  getId(): UUID | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData(): Uint8Array | string;
  getCustomMetadata(): Uint8Array | string;
}

export function proposedEvent(message: ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  return {
    id: message.getId()?.getString() ?? randomUUID(),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? 'application/octet-stream',
    data: bytesOf(message.getData()),
    customMetadata: bytesOf(message.getCustomMetadata()),
  };
}

export function eventResponse(record: LogRecord): ReadResp {
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
