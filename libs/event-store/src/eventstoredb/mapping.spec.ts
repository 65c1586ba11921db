import { ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { GENESIS_HASH, verifyChain } from '../hash-chain';
import { esdbEventId, toSafeNumber, toStoredEvent } from './mapping';

/** A recorded event as the server sends it on the wire. */
function recorded(fields: { stream: string; contentType?: string; created?: string; data?: object; metadata?: object }) {
  const record = new ReadResp.ReadEvent.RecordedEvent()
    .setId(new UUID().setString('5f0c6c2e-8d3b-4f7e-9a61-3b2d1c0e9f88'))
    .setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(fields.stream)))
    .setStreamRevision('0')
    .setCommitPosition('4096')
    .setPreparePosition('4096')
    .setData(Buffer.from(JSON.stringify(fields.data ?? { grade: '嘉奖' })))
    .setCustomMetadata(Buffer.from(JSON.stringify(fields.metadata ?? {})));
  record
    .getMetadataMap()
    .set('type', 'CommendationAwarded')
    .set('content-type', fields.contentType ?? 'application/json')
    .set('created', fields.created ?? '17953344001234567');
  return record;
}

describe('EventStoreDB mapping', () => {
  it('keeps the server clock to the microsecond: 100 ns ticks since the Unix epoch', () => {
    const event = toStoredEvent(recorded({ stream: 'cadre-1', created: '17953344001234567' }));
    expect(event?.recordedAt).toBe('2026-11-22T08:00:00.123456Z');
  });

  it('reads the ledger fields from the custom metadata and the position from $all', () => {
    const metadata = { eventId: 'import:42', schemaVersion: 2, effectiveAt: '2024-03-01', actor: '张三', documentRef: null, prevHash: GENESIS_HASH, hash: 'ab' };
    expect(toStoredEvent(recorded({ stream: 'unit-7', metadata }))).toMatchObject({
      ...metadata,
      stream: 'unit-7',
      revision: 0,
      globalPosition: 4096,
      type: 'CommendationAwarded',
      data: { grade: '嘉奖' },
    });
  });

  it("leaves out the server's own streams, other applications' streams and binary events", () => {
    expect(toStoredEvent(recorded({ stream: '$settings' }))).toBeUndefined();
    expect(toStoredEvent(recorded({ stream: 'ledger-event-id-5f0c6c2e-8d3b-4f7e-9a61-3b2d1c0e9f88' }))).toBeUndefined();
    expect(toStoredEvent(recorded({ stream: 'cadre-1', contentType: 'application/octet-stream' }))).toBeUndefined();
  });

  it('returns a ledger event stripped of its metadata so that verification reports it, rather than hiding it', () => {
    const event = toStoredEvent(recorded({ stream: 'cadre-1', metadata: {} }));
    expect(event).toMatchObject({ prevHash: '', hash: '', actor: '', effectiveAt: '' });
    expect(verifyChain('cadre-1', event ? [event] : [])).toMatchObject({ ok: false, brokenAt: { revision: 0 } });
  });

  it('uses a UUID eventId as the server id, lower-cased, and maps any other eventId to a stable name-based UUID', () => {
    expect(esdbEventId('5F0C6C2E-8D3B-4F7E-9A61-3B2D1C0E9F88')).toBe('5f0c6c2e-8d3b-4f7e-9a61-3b2d1c0e9f88');
    const legacy = esdbEventId('import:1998-04-17:0042');
    expect(legacy).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(esdbEventId('import:1998-04-17:0042')).toBe(legacy);
    expect(esdbEventId('import:1998-04-17:0043')).not.toBe(legacy);
  });

  it('refuses a position the port could not carry exactly', () => {
    expect(toSafeNumber(2n ** 53n - 1n, 'position')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => toSafeNumber(2n ** 53n, 'position')).toThrow(/does not fit/);
  });
});
