import type { StoredEvent } from '@cadre-ledger/event-store';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { cliEnv, runLedger } from './support/ledger-cli';
import { writeKnownHistory } from './support/known-history';

jest.setTimeout(120_000);

describe('ledger replay (child process, PostgreSQL)', () => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let stored: StoredEvent[];

  beforeAll(async () => {
    db = await createTestDatabase('cli-replay');
    stored = await writeKnownHistory(db.url);
    env = cliEnv(db.url);
  });
  afterAll(() => db.drop());

  it('prints the timeline with each fact\'s dates, actor, document ref and effects, then the verdict, as JSON', async () => {
    const { code, stdout } = await runLedger(['replay', 'c-001', '--as-of', '2020-06-01', '--json'], env);
    expect(code).toBe(0);
    const replay = JSON.parse(stdout);
    expect(replay).toMatchObject({ cadreId: 'c-001', asOf: '2020-06-01', laterFacts: 0 });
    expect(replay.timeline.map((e: { type: string }) => e.type)).toEqual(['CadreRegistered', 'CadreAdjusted', 'AnnualReviewRecorded']);
    const demotion = replay.timeline[1];
    expect(demotion).toMatchObject({
      eventId: stored[1].eventId,
      effectiveAt: '2019-03-15',
      recordedAt: stored[1].recordedAt,
      actor: 'org-陕西',
      documentRef: '陕组干〔2019〕8号',
    });
    expect(demotion.effects).toEqual([
      expect.objectContaining({
        effect: 'lock',
        kind: 'demotion',
        ruleId: 'CN-SN/NSX-16b',
        ruleSet: 'CN-SN-2018',
        from: '2019-03-15',
        until: '2021-03-15',
        holds: true,
        citation: { document: '陕西省推进省管党政领导干部能上能下办法(试行)', article: '第十六条', text: '降职的,两年内不得提拔' },
      }),
    ]);
    expect(replay.timeline[2].effects.map((e: { ruleId: string }) => e.ruleId)).toContain('CN-SN/JL-6-1');
    expect(replay.verdict).toMatchObject({ promotable: false, locks: [expect.objectContaining({ ruleId: 'CN-SN/NSX-16b', until: '2021-03-15' })] });
  });

  it('shows the lock as ended and the cadre promotable once the two years are over', async () => {
    const { code, stdout } = await runLedger(['replay', 'c-001', '--as-of', '2021-03-15', '--json'], env);
    expect(code).toBe(0);
    const replay = JSON.parse(stdout);
    expect(replay.timeline[1].effects[0]).toMatchObject({ ruleId: 'CN-SN/NSX-16b', holds: false });
    expect(replay.verdict.promotable).toBe(true);
    // 第十六条 still asks for the higher department's opinion before a promotion.
    expect(replay.verdict.conditions.map((c: { ruleId: string }) => c.ruleId)).toContain('CN-SN/NSX-16c');
  });

  it('replays the records as they stood at --known-at', async () => {
    const { code, stdout } = await runLedger(['replay', 'c-001', '--as-of', '2020-06-01', '--known-at', stored[0].recordedAt, '--json'], env);
    expect(code).toBe(0);
    const replay = JSON.parse(stdout);
    expect(replay.timeline.map((e: { eventId: string }) => e.eventId)).toEqual([stored[0].eventId]);
    expect(replay.verdict).toMatchObject({ promotable: true, locks: [] });
  });

  it('prints a table for people with the same facts, rule ids and quoted clauses', async () => {
    const { code, stdout } = await runLedger(['replay', 'c-001', '--as-of', '2020-06-01'], env);
    expect(code).toBe(0);
    expect(stdout).toContain('cadre c-001 · as of 2020-06-01');
    for (const text of ['2019-03-15', stored[1].recordedAt, 'CadreAdjusted', 'org-陕西', '陕组干〔2019〕8号', 'CN-SN/NSX-16b', '「降职的,两年内不得提拔」', '2019-03-15 → 2021-03-15', 'CN-SN/JL-6-1']) {
      expect(stdout).toContain(text);
    }
    expect(stdout).toMatch(/│ promotable\s+│ NO\s+│/);
    expect(stdout.trimStart().startsWith('{')).toBe(false);
  });

  it('exits 1 for a cadre the ledger does not know and 2 for a malformed date', async () => {
    const unknown = await runLedger(['replay', 'nobody'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no cadre nobody');
    const malformed = await runLedger(['replay', 'c-001', '--as-of', '2020-13-01'], env);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('--as-of');
  });
});
