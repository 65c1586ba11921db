import { randomUUID } from 'node:crypto';
import { DomainError } from '@cadre-ledger/domain';
import { InMemoryEventStore, WrongExpectedRevision, type EventStore } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { Ledger } from './ledger';

const ruleBook = readRuleBook();
const position = { title: '局长', level: 'county-chief', leadership: true, principal: true } as const;
const actor = { actor: 'org-陕西' };

function ledgerOn(store: EventStore = new InMemoryEventStore(), now = '2026-11-22T02:00:00Z') {
  return new Ledger({ store, ruleBook, now: () => new Date(now), newEventId: randomUUID });
}

async function registered(ledger: Ledger, cadreId = 'c-001', jurisdiction = 'CN-SN') {
  return ledger.executeCadreCommand(cadreId, {
    type: 'RegisterCadre',
    data: { cadreId, name: '周伟', unitId: 'sx-fgw', jurisdiction, position, effectiveAt: '2015-01-01' },
    metadata: actor,
  });
}

const demote = (effectiveAt: string) =>
  ({
    type: 'AdjustCadre',
    data: { kind: 'demotion', newPosition: { ...position, level: 'county-deputy', principal: false }, effectiveAt },
    metadata: { ...actor, documentRef: '陕组干〔2019〕8号' },
  }) as const;

describe('Ledger', () => {
  it('appends decided events with the actor, document ref and a store-assigned recordedAt', async () => {
    const ledger = ledgerOn();
    const first = await registered(ledger);
    const second = await ledger.executeCadreCommand('c-001', demote('2019-03-15'));
    expect(first.revision).toBe(0);
    expect(second).toMatchObject({ revision: 1, stream: 'cadre-c-001' });
    expect(second.events[0]).toMatchObject({ type: 'CadreAdjusted', effectiveAt: '2019-03-15', actor: 'org-陕西', documentRef: '陕组干〔2019〕8号', revision: 1 });
    expect(await ledger.profile('c-001')).toMatchObject({ unitId: 'sx-fgw', jurisdiction: 'CN-SN', revision: 1, position: { level: 'county-deputy' } });
  });

  it('refuses a promotion during the lock and appends nothing', async () => {
    const ledger = ledgerOn();
    await registered(ledger);
    await ledger.executeCadreCommand('c-001', demote('2019-03-15'));
    const promote = ledger.executeCadreCommand('c-001', {
      type: 'PromoteCadre',
      data: { newPosition: position, effectiveAt: '2020-01-01' },
      metadata: actor,
    });
    await expect(promote).rejects.toMatchObject({ code: 'promotion-locked', details: { locks: [expect.objectContaining({ ruleId: 'CN-SN/NSX-16b' })] } });
    expect((await ledger.history('c-001'))?.revision).toBe(1);
  });

  it('judges a command against everything it read, even when the store’s clock runs ahead of ours', async () => {
    let tick = 0n; // the store stamps recordedAt an hour after this process's clock
    const store = new InMemoryEventStore({ clockMicros: () => BigInt(Date.parse('2026-11-22T03:00:00Z')) * 1000n + tick++ });
    const ledger = ledgerOn(store, '2026-11-22T02:00:00Z');
    await registered(ledger);
    await ledger.executeCadreCommand('c-001', demote('2019-03-15'));
    const promote = ledger.executeCadreCommand('c-001', { type: 'PromoteCadre', data: { newPosition: position, effectiveAt: '2020-01-01' }, metadata: actor });
    await expect(promote).rejects.toMatchObject({ code: 'promotion-locked' });
    expect((await ledger.eligibility('c-001', { asOf: '2020-01-01' }))?.promotable).toBe(false);
  });

  it('refuses a command whose If-Match revision is stale, without deciding', async () => {
    const ledger = ledgerOn();
    await registered(ledger);
    await expect(ledger.executeCadreCommand('c-001', demote('2019-03-15'), { expectedRevision: 3 })).rejects.toBeInstanceOf(WrongExpectedRevision);
    expect((await ledger.history('c-001'))?.revision).toBe(0);
  });

  it('decides again when it loses a race for the stream and no If-Match was sent', async () => {
    const store = new InMemoryEventStore();
    const ledger = ledgerOn(store);
    await registered(ledger);
    let raced = false;
    const racing: EventStore = Object.create(store);
    racing.appendToStream = async (stream, events, options) => {
      if (!raced) {
        raced = true; // another writer slips in between our read and our append
        await ledgerOn(store).executeCadreCommand('c-001', { type: 'IssueCaution', data: { reason: '迟到', effectiveAt: '2020-01-01' }, metadata: actor });
      }
      return store.appendToStream(stream, events, options);
    };
    const result = await ledgerOn(racing).executeCadreCommand('c-001', demote('2019-03-15'));
    expect(result.revision).toBe(2);
    expect((await ledger.history('c-001'))?.events.map((e) => e.type)).toEqual(['CadreRegistered', 'CautionIssued', 'CadreAdjusted']);
  });

  it('answers not-found for a command on a cadre that was never registered', async () => {
    const error = await ledgerOn().executeCadreCommand('nobody', demote('2019-03-15')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).category).toBe('not-found');
  });

  it('judges eligibility with the assessments of the units the cadre sat in', async () => {
    const ledger = ledgerOn();
    await registered(ledger);
    await ledger.executeUnitCommand('sx-fgw', { type: 'RecordUnitAssessment', data: { unitId: 'sx-fgw', year: 2021, grade: 'poor', effectiveAt: '2022-02-01' }, metadata: actor });
    await ledger.executeUnitCommand('other', { type: 'RecordUnitAssessment', data: { unitId: 'other', year: 2021, grade: 'poor', effectiveAt: '2022-02-01' }, metadata: actor });
    const verdict = await ledger.eligibility('c-001', { asOf: '2022-03-01' });
    expect(verdict?.reviewTriggers).toEqual([expect.objectContaining({ ruleId: 'CN-SN/NSX-8-1', sourceEventId: expect.any(String) })]);
    await expect(
      ledger.executeUnitCommand('sx-fgw', { type: 'RecordUnitAssessment', data: { unitId: 'sx-fgw', year: 2021, grade: 'good', effectiveAt: '2022-02-01' }, metadata: actor }),
    ).rejects.toMatchObject({ code: 'unit-assessment-year-duplicate' });
  });

  it('answers eligibility as the records stood at knownAt, and null before the cadre was recorded', async () => {
    let tick = 0n; // each append one second after the previous, from 01:00:00
    const store = new InMemoryEventStore({ clockMicros: () => BigInt(Date.parse('2026-11-22T01:00:00Z')) * 1000n + tick++ * 1_000_000n });
    const ledger = ledgerOn(store);
    await registered(ledger);
    const before = '2026-11-22T01:00:00.500000Z';
    const { events } = await ledger.executeCadreCommand('c-001', demote('2019-03-15'));
    const recordedAt = events[0].recordedAt;
    expect((await ledger.eligibility('c-001', { asOf: '2020-01-01', knownAt: before }))?.promotable).toBe(true);
    expect((await ledger.eligibility('c-001', { asOf: '2020-01-01', knownAt: recordedAt }))?.promotable).toBe(false);
    expect(await ledger.eligibility('c-001', { asOf: '2020-01-01', knownAt: '2000-01-01T00:00:00Z' })).toBeNull();
  });

  it('verifies the hash chain of a cadre stream', async () => {
    const ledger = ledgerOn();
    await registered(ledger);
    await ledger.executeCadreCommand('c-001', demote('2019-03-15'));
    expect(await ledger.verify('c-001')).toEqual({ ok: true, checked: 2 });
  });
});
