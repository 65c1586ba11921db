import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { arbitraryNewEvent, writtenContent } from './contract/fixtures';
import { GENESIS_HASH, canonicalContent, chainHash, digestHex } from './hash-chain';
import { canonicalAroundRevision } from './canonical';

describe('canonical JSON cut around the revision', () => {
  it('reassembles to the canonical JSON of the whole event, for any event and revision', () => {
    fc.assert(
      fc.property(arbitraryNewEvent, fc.nat(), fc.string(), (event, revision, stream) => {
        // The event as a writer has it (schemaVersion and documentRef may be absent): the defaults apply.
        const { head, tail } = canonicalAroundRevision({ ...event, stream });
        expect(head + String(revision) + tail).toBe(canonicalize({ ...writtenContent(stream, event), revision }));
      }),
    );
  });
});

describe('the chain hash', () => {
  it('hashes with 国密 SM3 as GB/T 32905 says (its test vectors, through Node\'s OpenSSL)', () => {
    expect(digestHex('sm3', 'abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(digestHex('sm3', 'abcd'.repeat(16))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('differs by format: v1 (legacy sha256), v2-sha256 and v2-sm3, each recomputable from the fields', () => {
    const content = { eventId: 'e', type: 'CautionIssued', schemaVersion: 1, stream: 'cadre-c', revision: 0, effectiveAt: '2021-01-01', actor: 'a', documentRef: null, data: { reason: '诫勉' } };
    const hashes = (['v1', 'v2-sha256', 'v2-sm3'] as const).map((f) => chainHash(GENESIS_HASH, content, f));
    expect(new Set(hashes).size).toBe(3);
    expect(hashes[0]).toBe(digestHex('sha256', GENESIS_HASH, canonicalContent(content)));
    expect(chainHash(GENESIS_HASH, { ...content, actor: 'b' }, 'v2-sm3')).not.toBe(hashes[2]);
  });
});
