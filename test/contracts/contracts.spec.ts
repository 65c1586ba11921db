import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { randomUUID } from 'node:crypto';
import { Ledger } from '@cadre-ledger/application';
import { LEDGER_EVENT_TYPES } from '@cadre-ledger/domain';
import { InMemoryEventStore, type StoredEvent } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import {
  CONTRACTS,
  contractSchemaText,
  eligibilityRecordV2,
  ledgerEventRecordV2,
  ledgerEventRecordV3,
  PAYLOADS_V2,
  PAYLOADS_V3,
  PERSONAL_FIELDS_V2,
  schemaDigest,
  statsMessage,
  statsRecord,
  EVENT_FAMILIES_V2,
} from '@cadre-ledger/messaging';
import { loadDemo } from '../../apps/cli/src/demo/load';

/**
 * The Kafka contracts (issue "The Kafka feed as a product"): each published version's JSON Schema
 * is in docs/contracts/ and locked by its digest in contracts.lock.json. A type that changes
 * without a new version fails here: publish it as a new version (a new name, e.g. v3) and keep
 * the old one. `UPDATE_CONTRACTS=1` writes the schema of a version not yet locked, and locks it;
 * it never rewrites a locked one.
 */
const DIR = join(__dirname, '..', '..', 'docs', 'contracts');
const LOCK = join(DIR, 'contracts.lock.json');
const lock = (existsSync(LOCK) ? JSON.parse(readFileSync(LOCK, 'utf8')) : {}) as Record<string, string>;
const file = (name: string) => join(DIR, `${name}.schema.json`);

describe('the published contracts', () => {
  if (process.env.UPDATE_CONTRACTS === '1') {
    for (const name of Object.keys(CONTRACTS)) {
      if (lock[name]) continue;
      const text = contractSchemaText(name);
      writeFileSync(file(name), text);
      lock[name] = schemaDigest(text);
    }
    writeFileSync(LOCK, `${JSON.stringify(Object.fromEntries(Object.entries(lock).sort()), null, 2)}\n`);
  }

  it.each(Object.keys(CONTRACTS))('%s: its schema is the one published, unchanged since it was locked', (name) => {
    const text = contractSchemaText(name);
    expect({ name, locked: lock[name] ?? 'not locked: run UPDATE_CONTRACTS=1 to publish this new version' }).toEqual({ name, locked: schemaDigest(text) });
    expect(readFileSync(file(name), 'utf8')).toBe(text);
  });

  it('never drops a published version', () => {
    expect(Object.keys(lock).filter((name) => !CONTRACTS[name])).toEqual([]);
  });

  it('has a v2 payload and a family for every event type of the domain (the mapping is exhaustive)', () => {
    expect(Object.keys(PAYLOADS_V2).sort()).toEqual([...LEDGER_EVENT_TYPES].sort());
    expect(Object.keys(PAYLOADS_V3).sort()).toEqual([...LEDGER_EVENT_TYPES].sort());
    expect(Object.values(EVENT_FAMILIES_V2).flat().sort()).toEqual([...LEDGER_EVENT_TYPES].sort());
    expect(PERSONAL_FIELDS_V2).toEqual(['name', 'note', 'reason', 'summary']);
  });

  describe('messages built from a realistic ledger validate against their published schemas', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
    const validator = (name: string) => compiled.get(name) ?? compiled.set(name, ajv.compile(JSON.parse(readFileSync(file(name), 'utf8')) as object)).get(name)!;
    let events: StoredEvent[];
    let store: InMemoryEventStore;
    const ruleBook = readRuleBook();

    beforeAll(async () => {
      store = new InMemoryEventStore();
      await loadDemo(store, ruleBook, { cadres: 24, seed: 11 });
      events = await store.readAll({ limit: 100_000 });
    });

    it('every event as cadre-ledger.event.v2, with its key and headers, whole or with the personal fields left out', () => {
      const validate = validator('cadre-ledger.event.v2');
      const types = new Set<string>();
      for (const event of events) {
        for (const omit of [new Set<string>(), new Set(PERSONAL_FIELDS_V2)]) {
          const record = ledgerEventRecordV2(event, omit);
          const message = JSON.parse(record.value) as { payload: Record<string, unknown>; omitted?: string[] };
          expect({ eventId: event.eventId, valid: validate(message), errors: validate.errors ?? null }).toEqual({ eventId: event.eventId, valid: true, errors: null });
          expect(record.key).toBe(event.stream.replace(/^(cadre|unit)-/, ''));
          expect(record.headers).toMatchObject({ contract: 'cadre-ledger.event.v2', eventId: event.eventId, type: event.type, schemaVersion: String(event.schemaVersion) });
          // On a cadre's events no personal field is left; a unit's name is not a person's, and stays.
          if (omit.size > 0) expect(Object.keys(message.payload).filter((f) => omit.has(f))).toEqual(event.type === 'UnitRegistered' ? ['name'] : []);
          if (omit.size > 0) for (const field of message.omitted ?? []) expect(message.payload[field]).toBeUndefined();
        }
        types.add(event.type);
      }
      expect(types.size).toBeGreaterThan(15);
      // A name never travels when personal fields are left out.
      const registration = events.find((e) => e.type === 'CadreRegistered')!;
      const filtered = JSON.parse(ledgerEventRecordV2(registration, new Set(PERSONAL_FIELDS_V2)).value) as { payload: object; omitted: string[] };
      expect(JSON.stringify(filtered)).not.toContain(String(registration.data.name));
      expect(filtered.omitted).toEqual(['name']);
    });

    it('every event as cadre-ledger.event.v3 too; who held a talk and which level took a measure travel on v3 only', () => {
      const v3 = validator('cadre-ledger.event.v3');
      const v2 = validator('cadre-ledger.event.v2');
      for (const event of events) {
        const message = JSON.parse(ledgerEventRecordV3(event, new Set(PERSONAL_FIELDS_V2)).value) as object;
        expect({ eventId: event.eventId, valid: v3(message), errors: v3.errors ?? null }).toEqual({ eventId: event.eventId, valid: true, errors: null });
      }
      const talk = events.find((e) => e.type === 'TalkHeld')!;
      const adjustment = events.find((e) => e.type === 'CadreAdjusted')!;
      const withFields = [
        { ...talk, data: { ...talk.data, heldBy: 'organization-department-head' } },
        { ...adjustment, data: { ...adjustment.data, measureTakenBy: 'provincial' } },
      ];
      for (const event of withFields) {
        const [three, two] = [ledgerEventRecordV3(event), ledgerEventRecordV2(event)].map((r) => JSON.parse(r.value) as { contract: string; payload: Record<string, unknown> });
        expect(three.contract).toBe('cadre-ledger.event.v3');
        expect(three.payload).toMatchObject(event.type === 'TalkHeld' ? { heldBy: 'organization-department-head' } : { measureTakenBy: 'provincial' });
        expect([v3(three), v2(two)]).toEqual([true, true]);
        expect(Object.keys(two.payload)).not.toEqual(expect.arrayContaining(['heldBy']));
        expect(two.payload.measureTakenBy).toBeUndefined();
        expect(v3({ ...three, payload: { ...three.payload, heldBy: 'mayor', measureTakenBy: 'township' } })).toBe(false);
      }
    });

    it('a verdict as cadre-ledger.eligibility.v2; figures as cadre-ledger.stats.v1', async () => {
      const validate = validator('cadre-ledger.eligibility.v2');
      const ledger = new Ledger({ store, ruleBook, now: () => new Date(), newEventId: randomUUID });
      const cadreIds = [...new Set(events.filter((e) => e.type === 'CadreRegistered').map((e) => String(e.data.cadreId)))];
      let locked = 0;
      for (const cadreId of cadreIds) {
        const verdict = (await ledger.eligibility(cadreId, { asOf: '2020-06-30' }))!;
        if (!verdict.promotable) locked++;
        const message = JSON.parse(eligibilityRecordV2('u-1', verdict).value) as object;
        expect({ cadreId, valid: validate(message), errors: validate.errors ?? null }).toEqual({ cadreId, valid: true, errors: null });
      }
      expect(locked).toBeGreaterThan(0);
      const stats = validator('cadre-ledger.stats.v1');
      const figures = { incentive: 12, tolerance: 2, adjustment: 0, locksActive: 7, locksEndingWithin30Days: 1, locksEndingWithin90Days: 3, openReviewTriggers: 0, pendingToleranceCases: 4, pendingAdjustmentCases: 0 };
      const message = JSON.parse(statsRecord(statsMessage({ unitId: 'u-1', unitName: '甲县', year: 2024, asOf: '2024-12-31' }, figures, 5)).value) as Record<string, unknown>;
      expect(stats(message)).toBe(true);
      expect(message).toMatchObject({ incentive: 12, tolerance: null, locksActive: 7, pendingToleranceCases: null, suppressed: ['tolerance', 'adjustment', 'locksEndingWithin30Days', 'locksEndingWithin90Days', 'openReviewTriggers', 'pendingToleranceCases', 'pendingAdjustmentCases'] });
    });
  });
});
