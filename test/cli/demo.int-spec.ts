import { InMemoryEventStore } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { loadDemo } from '../../apps/cli/src/demo/load';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { cliEnv, runLedger } from './support/ledger-cli';

jest.setTimeout(300_000);

/** The dataset without what the store assigns (recordedAt, global position). */
async function dataset(url: string): Promise<unknown[]> {
  const { code, stdout } = await runLedger(['export'], cliEnv(url));
  expect(code).toBe(0);
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const { recordedAt: _r, globalPosition: _g, ...rest } = JSON.parse(line);
      return rest;
    })
    .sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : a.revision - b.revision));
}

describe('ledger demo (child process, PostgreSQL)', () => {
  const databases: TestDatabase[] = [];
  const fresh = async () => {
    const db = await createTestDatabase('cli-demo');
    databases.push(db);
    return db;
  };
  afterAll(() => Promise.all(databases.map((db) => db.drop())));

  it('writes the same events, ids and hashes for the same seed, and others for another seed', async () => {
    const [a, b, c] = [await fresh(), await fresh(), await fresh()];
    const runs = await Promise.all([
      runLedger(['demo', '--cadres', '4', '--seed', '5', '--json'], cliEnv(a.url)),
      runLedger(['demo', '--cadres', '4', '--seed', '5', '--json'], cliEnv(b.url)),
      runLedger(['demo', '--cadres', '4', '--seed', '6', '--json'], cliEnv(c.url)),
    ]);
    for (const run of runs) expect(run.code).toBe(0);
    expect(JSON.parse(runs[0].stdout)).toMatchObject({ seed: 5, cadres: 4, units: 9, sampleCadreIds: ['d5-sn-0001', 'd5-zjj-0002', 'd5-cn-0003'] });

    const [first, second, other] = [await dataset(a.url), await dataset(b.url), await dataset(c.url)];
    expect(first.length).toBe(JSON.parse(runs[0].stdout).events);
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);

    const again = await runLedger(['demo', '--cadres', '4', '--seed', '5'], cliEnv(a.url));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already loaded');
  });
});

describe('the demo dataset (in-process, in-memory store)', () => {
  it('covers the three jurisdictions and every mechanism, with Chinese names and document refs', async () => {
    const store = new InMemoryEventStore();
    await loadDemo(store, readRuleBook(), { cadres: 60, seed: 7 });
    const events = await store.readAll({ limit: 1_000_000 });
    const types = new Set(events.map((e) => e.type));
    for (const type of ['CadreRegistered', 'CadreTransferred', 'CadrePromoted', 'AnnualReviewRecorded', 'UnitAssessmentRecorded', 'CommendationIssued', 'TalkHeld', 'CautionIssued', 'SanctionImposed', 'InvestigationOpened', 'InvestigationClosed', 'ToleranceRequested', 'ToleranceInvestigated', 'ToleranceDecided', 'ToleranceNotified', 'ToleranceFiled', 'AllegationCleared', 'CadreAdjusted']) {
      expect(types).toContain(type);
    }
    const registrations = events.filter((e) => e.type === 'CadreRegistered');
    expect(new Set(registrations.map((e) => e.data.jurisdiction))).toEqual(new Set(['CN-SN', 'CN-HN-ZJJ', 'CN']));
    expect(registrations.every((e) => /^\p{Script=Han}{2,3}$/u.test(String(e.data.name)))).toBe(true);
    expect(events.every((e) => e.documentRef === null || /^\p{Script=Han}+〔\d{4}〕\d+号$/u.test(e.documentRef))).toBe(true);
    const outcomes = new Set(events.filter((e) => e.type === 'ToleranceDecided').map((e) => e.data.outcome));
    expect(outcomes.size).toBeGreaterThanOrEqual(2);
    const years = new Set(events.filter((e) => e.type === 'AnnualReviewRecorded').map((e) => e.data.year));
    expect(years.size).toBeGreaterThanOrEqual(8);
  });
});
