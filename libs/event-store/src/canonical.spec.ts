import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { arbitraryNewEvent } from './contract/fixtures';
import { hashedContent } from './hash-chain';
import { canonicalAroundRevision } from './canonical';

describe('canonical JSON cut around the revision', () => {
  it('reassembles to the canonical JSON of the whole event, for any event and revision', () => {
    fc.assert(
      fc.property(arbitraryNewEvent, fc.nat(), fc.string(), (event, revision, stream) => {
        const content = { ...event, schemaVersion: event.schemaVersion ?? 1, documentRef: event.documentRef ?? null, stream };
        const { head, tail } = canonicalAroundRevision(content);
        expect(head + String(revision) + tail).toBe(canonicalize(hashedContent({ ...content, revision })));
      }),
    );
  });
});
