import { pdfText, squeezed } from '../support/pdf-text';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { Ledger } from '@cadre-ledger/application';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { cliEnv, runLedger } from './support/ledger-cli';

jest.setTimeout(120_000);

const deputy = { title: '副局长', level: 'county-deputy', leadership: true, principal: false } as const;
const chief = { title: '局长', level: 'county-chief', leadership: true, principal: true } as const;

/**
 * `ledger audit conflicts`: the 选人用人 audit from the read models, as a table, JSON and a
 * printable report citing each clause; every cadre shown is recorded in the read audit.
 */
describe('ledger audit conflicts (child process, PostgreSQL)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let dir: string;
  let promotionEventId: string;

  beforeAll(async () => {
    db = await createTestDatabase('cli-conflicts');
    dir = await mkdtemp(join(tmpdir(), 'cli-conflicts-'));
    pool = new Pool({ connectionString: db.url, max: 2 });
    const store = await PostgresEventStore.open({ connectionString: db.url });
    try {
      const ledger = new Ledger({ store, ruleBook: readRuleBook(), now: () => new Date(), newEventId: randomUUID });
      const org = { actor: 'org-陕西', documentRef: '陕组干〔2021〕3号' };
      await ledger.executeCadreCommand('k-1', { type: 'RegisterCadre', data: { cadreId: 'k-1', name: '赵文清', unitId: 'sx-ak', jurisdiction: 'CN-SN', position: deputy, effectiveAt: '2015-01-01' }, metadata: org });
      const promoted = await ledger.executeCadreCommand('k-1', { type: 'PromoteCadre', data: { newPosition: chief, effectiveAt: '2021-03-15' }, metadata: org });
      promotionEventId = promoted.events[0].eventId;
      // Recorded after the promotion, dated before it.
      await ledger.executeCadreCommand('k-1', { type: 'ImposeSanction', data: { system: 'party', kind: 'warning', effectiveAt: '2021-01-10' }, metadata: { actor: 'jw-陕西', documentRef: '陕纪〔2021〕9号' } });
    } finally {
      await store.close();
    }
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('says the read models are not built before a rebuild (exit 2)', async () => {
    const { code, stderr } = await runLedger(['audit', 'conflicts'], cliEnv(db.url));
    expect({ code, stderr }).toEqual({ code: 2, stderr: expect.stringContaining('ledger rebuild') });
  });

  it('lists the pair as JSON, as a table in either language, and as a printable report quoting the clause', async () => {
    expect((await runLedger(['rebuild'], cliEnv(db.url))).code).toBe(0);
    const json = await runLedger(['audit', 'conflicts', '--unit', 'sx-ak', '--from', '2021-01-01', '--to', '2021-12-31', '--json'], cliEnv(db.url, { LEDGER_ACTOR: 'auditor-王' }));
    expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 0, stderr: '' });
    const answer = JSON.parse(json.stdout) as { complete: boolean; items: { cadreId: string; promotionEventId: string; knownAtPromotion: boolean; lock: { citation: { document: string; article: string; text: string } } }[] };
    expect(answer.complete).toBe(true);
    expect(answer.items).toEqual([expect.objectContaining({ cadreId: 'k-1', promotionEventId, promotedOn: '2021-03-15', knownAtPromotion: false })]);
    const { citation } = answer.items[0].lock;

    const zh = await runLedger(['audit', 'conflicts', '--lang', 'zh'], cliEnv(db.url));
    expect(zh.code).toBe(0);
    expect(zh.stdout).toContain('否(事后发现)');
    expect(zh.stdout).toContain(citation.article);
    expect(zh.stdout).toContain('共 1 对');

    const report = join(dir, 'conflicts.html');
    expect((await runLedger(['audit', 'conflicts', '--html', report], cliEnv(db.url))).code).toBe(0);
    const html = await readFile(report, 'utf8');
    expect(html).toContain(citation.text);
    expect(html).toContain(citation.document);
    expect(html).toContain('size: A4');
    expect(html).not.toMatch(/<script|https?:\/\//);

    // The same report as a PDF: its extracted text quotes the clause, with the header and page numbers.
    const pdfFile = join(dir, 'conflicts.pdf');
    expect((await runLedger(['audit', 'conflicts', '--lang', 'zh', '--pdf', pdfFile], cliEnv(db.url))).code).toBe(0);
    const pdf = await readFile(pdfFile);
    const { pages, info } = await pdfText(pdf);
    const text = squeezed(pages.join(''));
    expect(text).toContain(squeezed(citation.text));
    expect(text).toContain(squeezed(`${citation.document} ${citation.article}`));
    expect(text).toContain(squeezed(`第 1 页 共 ${pages.length} 页`));
    expect(info).toMatchObject({ Title: '选人用人检查:影响期内提拔情况' });
    const noFont = await runLedger(['audit', 'conflicts', '--pdf', pdfFile], cliEnv(db.url, { LEDGER_PDF_FONT: join(dir, 'conflicts.html#Nothing') }));
    expect(noFont.code).toBe(1);
    expect(noFont.stderr).toContain('LEDGER_PDF_FONT');

    const other = await runLedger(['audit', 'conflicts', '--unit', 'sx-other', '--json'], cliEnv(db.url));
    expect(JSON.parse(other.stdout).items).toEqual([]);

    const audited = await pool.query<{ actor: string; what: string }>("SELECT actor, what FROM ledger_access_log WHERE cadre_id = 'k-1' AND via = 'ledger audit conflicts' ORDER BY seq");
    expect(audited.rows[0]).toEqual({ actor: 'auditor-王', what: 'profile' });
  });

  it('refuses a bad unit, a bad date and a period that ends before it begins (exit 2)', async () => {
    for (const args of [['--unit', 'a b'], ['--from', '2021-02-30'], ['--from', '2021-12-31', '--to', '2021-01-01']]) {
      const { code, stderr } = await runLedger(['audit', 'conflicts', ...args], cliEnv(db.url));
      expect({ code, stderr }).toEqual({ code: 2, stderr: expect.stringMatching(/^ledger: /) });
    }
  });
});
