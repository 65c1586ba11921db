import { newEvent, uniqueStream } from './fixtures';
import type { ContractContext } from './context';

export function describeHashChain(context: ContractContext): void {
  describe('hash chain', () => {
    it('verifies an intact stream and counts its events', async () => {
      const stream = uniqueStream();
      await context.store().appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 'no-stream' });
      await context.store().appendToStream(stream, [newEvent()], { expectedRevision: 1 });

      expect(await context.store().verifyStream(stream)).toEqual({ ok: true, checked: 3 });
      expect(await context.store().verifyStream(uniqueStream())).toEqual({ ok: true, checked: 0 });
    });

    const tamperTest = context.tamper ? it : it.skip;
    tamperTest('names the first revision whose stored event was modified behind the store', async () => {
      const tamper = context.target().tamper;
      if (!tamper) throw new Error('this target has no tamper hook: pass { tamper: false } to describeEventStoreContract');
      const stream = uniqueStream();
      const events = [newEvent(), newEvent(), newEvent(), newEvent()];
      await context.store().appendToStream(stream, events, { expectedRevision: 'no-stream' });

      // An insider lowers a sanction after the fact: only the data changes, hashes stay as stored.
      await tamper(stream, 2, { ...events[2].data, grade: '无' });

      const result = await context.store().verifyStream(stream);
      expect(result.ok).toBe(false);
      expect(result.brokenAt).toEqual({ stream, revision: 2, eventId: events[2].eventId });
      expect((await context.store().readStream(stream))[2].data.grade).toBe('无');
    });
  });
}
