import { randomUUID } from 'node:crypto';
import { isDomainError, unitStream } from '@cadre-ledger/domain';
import { PostgresEventStore, type EventStore } from '@cadre-ledger/event-store';
import { EventStoreDbEventStore } from '@cadre-ledger/event-store/eventstoredb';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { startEsdbStandIn, type EsdbStandIn } from '../../../test/support/esdb-standin';
import { Ledger } from './ledger';

/**
 * The 优秀 quota is a set-wide invariant across cadre streams (API.md, "Excellence quotas,
 * exactly"): 50 concurrent excellent grades in a unit whose quota is 10 leave exactly 10 stored,
 * the others refused with excellence-quota-exceeded citing the rule. Five Ledger instances share
 * the store, as five API processes would, so the invariant rests on the store, not on one
 * process's queue. The same test on PostgreSQL and on the EventStoreDB stand-in.
 */
jest.setTimeout(120_000);

const ruleBook = readRuleBook();
const post = { title: '科员', level: 'township-deputy', leadership: false, principal: false } as const;
const today = () => new Date('2024-03-01T04:00:00Z');

async function race(store: EventStore, unitId: string): Promise<{ accepted: number; refused: unknown[]; claims: number }> {
  const ledgers = Array.from({ length: 5 }, () => new Ledger({ store, ruleBook, now: today, newEventId: randomUUID, maxRetryPauseMs: 20 }));
  const [first] = ledgers;
  await first.executeUnitCommand(unitId, { type: 'RegisterUnit', data: { unitId, name: '宁陕县发展和改革局', level: 'county', jurisdiction: 'CN', effectiveAt: '2015-01-01' }, metadata: { actor: 'org' } });
  // 50 assessed: floor(50 × 20%) = 10 (CN/KH-13).
  await first.executeUnitCommand(unitId, { type: 'SetUnitQuota', data: { unitId, year: 2023, assessedHeadcount: 50, effectiveAt: '2024-01-05' }, metadata: { actor: 'kh' } });
  const cadres = Array.from({ length: 50 }, (_, i) => `${unitId}-c${i}`);
  for (const cadreId of cadres) {
    await first.executeCadreCommand(cadreId, { type: 'RegisterCadre', data: { cadreId, name: '张伟', unitId, jurisdiction: 'CN', position: post, effectiveAt: '2015-01-01' }, metadata: { actor: 'org' } });
  }
  const outcomes = await Promise.allSettled(
    cadres.map((cadreId, i) =>
      ledgers[i % ledgers.length].executeCadreCommand(cadreId, { type: 'RecordAnnualReview', data: { year: 2023, grade: 'excellent', effectiveAt: '2024-01-20' }, metadata: { actor: 'kh' } }),
    ),
  );
  const unit = await store.readStream(unitStream(unitId));
  return {
    accepted: outcomes.filter((o) => o.status === 'fulfilled').length,
    refused: outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : [])),
    claims: unit.filter((e) => e.type === 'ExcellenceQuotaClaimed').length,
  };
}

function expectExactlyTen(result: { accepted: number; refused: unknown[]; claims: number }): void {
  expect(result.accepted).toBe(10);
  expect(result.claims).toBe(10);
  expect(result.refused).toHaveLength(40);
  for (const error of result.refused) {
    expect(isDomainError(error) && error.code).toBe('excellence-quota-exceeded');
    expect(isDomainError(error) && error.details.ruleId).toBe('CN/KH-13');
  }
}

describe('excellence quotas under concurrency', () => {
  it('PostgreSQL: 50 concurrent excellent grades, quota 10: exactly 10 stored', async () => {
    const db: TestDatabase = await createTestDatabase('quota-race');
    const store = await PostgresEventStore.open({ connectionString: db.url, poolSize: 12 });
    try {
      expectExactlyTen(await race(store, 'q-pg'));
    } finally {
      await store.close();
      await db.drop();
    }
  });

  it('EventStoreDB stand-in: the same race, the same ten', async () => {
    const standIn: EsdbStandIn = await startEsdbStandIn();
    const store = EventStoreDbEventStore.fromConnectionString(standIn.connectionString);
    try {
      expectExactlyTen(await race(store, 'q-esdb'));
    } finally {
      await store.close();
      await standIn.close();
    }
  });

  it('lets an override lift the limit to the cap (25%), and never beyond it', async () => {
    const db: TestDatabase = await createTestDatabase('quota-override');
    const store = await PostgresEventStore.open({ connectionString: db.url });
    try {
      const ledger = new Ledger({ store, ruleBook, now: today, newEventId: randomUUID });
      const unitId = 'q-ov';
      await ledger.executeUnitCommand(unitId, { type: 'RegisterUnit', data: { unitId, name: '某局', level: 'county', jurisdiction: 'CN', effectiveAt: '2015-01-01' }, metadata: { actor: 'org' } });
      await ledger.executeUnitCommand(unitId, { type: 'SetUnitQuota', data: { unitId, year: 2023, assessedHeadcount: 8, effectiveAt: '2024-01-05' }, metadata: { actor: 'kh' } });
      const grade = async (i: number, quotaOverrideRef?: string) => {
        const cadreId = `${unitId}-c${i}`;
        await ledger.executeCadreCommand(cadreId, { type: 'RegisterCadre', data: { cadreId, name: '李强', unitId, jurisdiction: 'CN', position: post, effectiveAt: '2015-01-01' }, metadata: { actor: 'org' } });
        try {
          await ledger.executeCadreCommand(cadreId, { type: 'RecordAnnualReview', data: { year: 2023, grade: 'excellent', effectiveAt: '2024-01-20', ...(quotaOverrideRef ? { quotaOverrideRef } : {}) }, metadata: { actor: 'kh' } });
          return 'stored';
        } catch (error) {
          return isDomainError(error) ? error.code : String(error);
        }
      };
      // floor(8 × 20%) = 1; floor(8 × 25%) = 2 with an override.
      expect([await grade(0), await grade(1), await grade(2, '组字〔2024〕1号'), await grade(3, '组字〔2024〕2号')]).toEqual(['stored', 'excellence-quota-exceeded', 'stored', 'excellence-quota-exceeded']);
      // A refused review stores nothing on the cadre's stream.
      expect((await store.readStream(`cadre-${unitId}-c1`)).map((e) => e.type)).toEqual(['CadreRegistered']);
    } finally {
      await store.close();
      await db.drop();
    }
  });

  describe('places given back', () => {
    let db: TestDatabase;
    let store: EventStore;
    const unitId = 'q-back';
    const register = async (ledger: Ledger, i: number) => {
      const cadreId = `${unitId}-c${i}`;
      await ledger.executeCadreCommand(cadreId, { type: 'RegisterCadre', data: { cadreId, name: '王芳', unitId, jurisdiction: 'CN', position: post, effectiveAt: '2015-01-01' }, metadata: { actor: 'org' } });
      return cadreId;
    };
    const grade = async (ledger: Ledger, cadreId: string) => {
      try {
        const result = await ledger.executeCadreCommand(cadreId, { type: 'RecordAnnualReview', data: { year: 2023, grade: 'excellent', effectiveAt: '2024-01-20' }, metadata: { actor: 'kh' } });
        return result.events[0].eventId;
      } catch (error) {
        return isDomainError(error) ? error.code : String(error);
      }
    };
    const releases = async () => (await store.readStream(unitStream(unitId))).filter((e) => e.type === 'ExcellenceQuotaReleased').map((e) => (e.data as { reason: string }).reason);

    beforeEach(async () => {
      db = await createTestDatabase('quota-release');
      store = await PostgresEventStore.open({ connectionString: db.url });
      const ledger = new Ledger({ store, ruleBook, now: today, newEventId: randomUUID });
      await ledger.executeUnitCommand(unitId, { type: 'RegisterUnit', data: { unitId, name: '某局', level: 'county', jurisdiction: 'CN', effectiveAt: '2015-01-01' }, metadata: { actor: 'org' } });
      // floor(5 × 20%) = 1 place.
      await ledger.executeUnitCommand(unitId, { type: 'SetUnitQuota', data: { unitId, year: 2023, assessedHeadcount: 5, effectiveAt: '2024-01-05' }, metadata: { actor: 'kh' } });
    });
    afterEach(async () => {
      await store.close();
      await db.drop();
    });

    it('a retracted excellent review gives its place back at once', async () => {
      const ledger = new Ledger({ store, ruleBook, now: today, newEventId: randomUUID });
      const [a, b] = [await register(ledger, 0), await register(ledger, 1)];
      const review = await grade(ledger, a);
      expect(await grade(ledger, b)).toBe('excellence-quota-exceeded');
      await ledger.executeCadreCommand(a, { type: 'RetractEntry', data: { eventId: review, reason: '录入错误' }, metadata: { actor: 'org' } });
      expect(await releases()).toEqual(['review-retracted']);
      expect(await grade(ledger, b)).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('a claim whose review was never stored counts until its lease is over, then is released by the next claim at the limit', async () => {
      // The lease is measured from the claim's recordedAt, which the database's clock sets.
      let now = new Date();
      const ledger = new Ledger({ store, ruleBook, now: () => now, newEventId: randomUUID, quotaClaimLeaseMs: 600_000 });
      const [a, b] = [await register(ledger, 0), await register(ledger, 1)];
      // What a process that died between the two appends leaves behind: a claim, no review.
      await ledger.executeUnitCommand(unitId, { type: 'ClaimExcellenceQuota', data: { unitId, year: 2023, cadreId: a, reviewEventId: randomUUID(), effectiveAt: '2024-01-20' }, metadata: { actor: 'kh' } });
      now = new Date(now.getTime() + 60_000); // within the lease: the review may still be on its way
      expect(await grade(ledger, b)).toBe('excellence-quota-exceeded');
      expect(await releases()).toEqual([]);
      now = new Date(now.getTime() + 600_000);
      expect(await grade(ledger, b)).toMatch(/^[0-9a-f-]{36}$/);
      expect(await releases()).toEqual(['review-not-stored']);
      // A live claim is never released: the unit is full again.
      expect(await grade(ledger, await register(ledger, 2))).toBe('excellence-quota-exceeded');
      expect(await releases()).toEqual(['review-not-stored']);
    });
  });
});
