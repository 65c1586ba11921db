import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { findFreePort } from '@cadre-ledger/platform';
import { runLedger } from '../cli/support/ledger-cli';
import { healthy, start, stop, type Started } from '../support/npm-start';
import { CHROMIUM } from '../support/prerequisites';
import { testOutputDir } from '../support/test-output';
import { pdfText, squeezed } from '../support/pdf-text';
import { waitFor } from '../support/wait-for';

/**
 * The dashboard in a real browser (issue "What people look at"): Debian's Chromium driven by
 * playwright-core against `npm start` with the demo loaded. Logs in with a token, checks the
 * figures against /v1/stats, opens a cadre whose locks are bars on the timeline, moves knownAt,
 * checks that the dashboard role is sent no name, and runs axe-core on each page. Screenshots go
 * to test-output/browser/ (kept by CI).
 */
jest.setTimeout(300_000);

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** What the page's window holds that the test reads (the test is compiled without the DOM's types). */
interface PageGlobals {
  document: { getElementById(id: string): unknown };
  echarts: { getInstanceByDom(element: unknown): { getOption(): { series: { data: { detail: { effect: string; citation: { text: string } } }[] }[] }; dispatchAction(action: object): void } };
  axe: { run(context: unknown, options: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
}

/** axe-core's source, evaluated in the page (the page's own CSP rightly refuses an injected script tag). */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface TimelineAnswer {
  knownAt: string;
  timeline: { eventId: string; recordedAt: string; effects: { effect: string; kind: string; citation: { text: string } }[] }[];
  verdict: { promotable: boolean };
}

describe('the dashboard in Chromium, against npm start with the demo loaded', () => {
  let dataDir: string;
  let running: Started | undefined;
  let browser: Browser;
  let url: string;
  let adminToken: string;
  let dashboardToken: string;
  const shots = testOutputDir('browser');
  const pageErrors: string[] = [];

  const api = async <T>(path: string, token = adminToken): Promise<T> => {
    const res = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cadre-ledger-dashboard-'));
    const env = { LEDGER_DATA_DIR: dataDir, PORT: String(await findFreePort()), EMBEDDED_PG_PORT: String(await findFreePort()) };
    url = `http://127.0.0.1:${env.PORT}`;
    running = start(env);
    await healthy(url, running);
    adminToken = (await readFile(join(dataDir, 'admin-token'), 'utf8')).trim();

    const cliEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const name of ['DATABASE_URL', 'TEST_DATABASE_URL', 'LEDGER_JWT_SECRET', 'EVENTSTORE_CONNECTION_STRING']) delete cliEnv[name];
    const demo = await runLedger(['demo', '--cadres', '40', '--json'], cliEnv);
    if (demo.code !== 0) throw new Error(`ledger demo: ${demo.stderr}`);
    const token = await runLedger(['token', '--role', 'dashboard', '--units', '*', '--ttl', '1h'], cliEnv);
    if (token.code !== 0) throw new Error(`ledger token: ${token.stderr}`);
    dashboardToken = token.stdout.trim();

    // The service's own projector takes the demo in: wait until no read model lags.
    await waitFor(
      async () => {
        const metrics = await (await fetch(`${url}/metrics`)).text();
        const lags = [...metrics.matchAll(/^ledger_projection_lag_events\{[^}]*\} (\d+)$/gm)].map((m) => Number(m[1]));
        return lags.length > 0 && lags.every((lag) => lag === 0);
      },
      { timeoutMs: 120_000, description: 'the read models to take in the demo', maxIntervalMs: 500 },
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (running) await stop(running).catch(() => running?.child.kill('SIGKILL'));
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A fresh context (its own session storage) with the page's errors and requests recorded. */
  async function open(options: { bypassCSP?: boolean } = {}): Promise<{ context: BrowserContext; page: Page; requests: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname + new URL(r.url()).search));
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    return { context, page, requests };
  }

  async function logIn(page: Page, token: string): Promise<void> {
    await page.goto(`${url}/dashboard`);
    await page.getByLabel('访问令牌(Bearer token)').fill(token);
    await page.getByRole('button', { name: '登录' }).click();
    await ready(page, '#/');
  }

  const ready = (page: Page, hash: string) => page.waitForSelector(`body[data-ready="${hash}"]`, { timeout: 30_000 });

  /** axe-core on the page as it stands: no serious or critical violation. */
  async function accessible(page: Page, name: string): Promise<void> {
    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => {
      const w = globalThis as unknown as PageGlobals;
      const result = await w.axe.run(w.document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect({ page: name, serious }).toEqual({ page: name, serious: [] });
  }

  it('shows the 三项机制 figures, the case steps and the queues, each as /v1/stats answers them', async () => {
    const { context, page } = await open();
    await logIn(page, adminToken);
    const year = Number(await page.locator('#year').inputValue());
    const stats = await api<Record<string, unknown>>(`/v1/stats?year=${year}`);
    for (const key of ['incentive', 'tolerance', 'adjustment', 'locksActive', 'locksEndingWithin30Days', 'locksEndingWithin90Days', 'openReviewTriggers', 'pendingToleranceCases', 'pendingAdjustmentCases', 'conflicts']) {
      expect({ key, shown: await page.locator(`[data-figure="${key}"] .figure`).innerText() }).toEqual({ key, shown: String(stats[key]) });
    }
    expect(Number(stats.incentive)).toBeGreaterThan(0); // the demo gives the page something to show
    // The five-year table is the series endpoint's totals, year by year.
    const series = await api<{ totals: { year: number; incentive: number; tolerance: number; adjustment: number }[] }>(`/v1/stats/mechanisms?from=${year - 4}&to=${year}`);
    const rows = await page.locator('table').first().locator('tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t').map((c) => c.trim()))).toEqual(series.totals.map((t) => [String(t.year), String(t.incentive), String(t.tolerance), String(t.adjustment)]));
    // The charts were drawn (ECharts renders to canvas).
    expect(await page.locator('#chart-years canvas').count()).toBeGreaterThan(0);
    // Open cases, longest waiting first, as /v1/cases lists them.
    const cases = await api<{ items: { caseId: string }[] }>('/v1/cases?limit=100');
    const shownCases = await page.locator('#queues table').last().locator('tbody tr td:nth-child(4)').allInnerTexts();
    expect(shownCases).toEqual(cases.items.map((c) => c.caseId));
    await page.screenshot({ path: join(shots, 'overview-admin.png'), fullPage: true });
    await accessible(page, 'overview');
    await context.close();
  });

  it('opens a cadre: its locks are bars on the date axis with their clauses; moving knownAt shows the records as they stood', async () => {
    // A demo cadre whose history produced a lock, recorded after its registration.
    const directory = await api<{ items: { cadreId: string; name: string }[] }>('/v1/cadres?limit=100');
    let chosen: { cadreId: string; name: string; now: TimelineAnswer } | undefined;
    for (const item of directory.items) {
      const now = await api<TimelineAnswer>(`/v1/cadres/${item.cadreId}/timeline`);
      if (now.timeline.some((t) => t.effects.some((e) => e.effect === 'lock'))) {
        chosen = { ...item, now };
        break;
      }
    }
    expect(chosen).toBeDefined();
    const { cadreId, name, now } = chosen!;

    const { context, page } = await open();
    await logIn(page, adminToken);
    await page.getByRole('link', { name: '干部查询' }).click();
    await ready(page, '#/cadres');
    await page.getByLabel('姓名、拼音首字母或干部编号').fill(cadreId);
    await page.getByRole('button', { name: '查询' }).click();
    await ready(page, `#/cadres?q=${cadreId}`);
    await page.getByRole('link', { name }).first().click();
    await ready(page, `#/cadre/${cadreId}`);

    const effects = now.timeline.flatMap((t) => t.effects);
    const bars = async () =>
      page.evaluate(() => {
        const w = globalThis as unknown as PageGlobals;
        const chart = w.echarts.getInstanceByDom(w.document.getElementById('chart-timeline'));
        return chart.getOption().series[1].data.map((d) => ({ effect: d.detail.effect, clause: d.detail.citation.text }));
      });
    const drawn = await bars();
    expect(drawn).toEqual(effects.map((e) => ({ effect: e.effect, clause: e.citation.text })));
    expect(drawn.filter((b) => b.effect === 'lock').length).toBeGreaterThan(0);
    // Hovering a lock's bar shows its clause.
    const lockIndex = drawn.findIndex((b) => b.effect === 'lock');
    await page.evaluate((dataIndex) => {
      const w = globalThis as unknown as PageGlobals;
      const chart = w.echarts.getInstanceByDom(w.document.getElementById('chart-timeline'));
      chart.dispatchAction({ type: 'showTip', seriesIndex: 1, dataIndex });
    }, lockIndex);
    await waitFor(async () => (await page.locator('#chart-timeline').innerText()).includes(drawn[lockIndex].clause), { timeoutMs: 10_000, description: 'the tooltip with the clause' });
    await page.screenshot({ path: join(shots, 'cadre-now.png'), fullPage: true });
    await accessible(page, 'cadre');

    // knownAt moved back to the moment of the first recorded fact that produced a lock, less one
    // moment: the page shows the records as they stood then, as the API answers for that knownAt.
    const history = await api<{ events: { recordedAt: string }[] }>(`/v1/cadres/${cadreId}/history`);
    const moments = [...new Set(history.events.map((e) => e.recordedAt))].sort();
    const firstLock = now.timeline.find((t) => t.effects.some((e) => e.effect === 'lock'))!;
    const before = moments.indexOf(firstLock.recordedAt) - 1;
    expect(before).toBeGreaterThanOrEqual(0);
    await page.locator('#knownat').fill(String(before));
    await page.locator('#knownat').dispatchEvent('change');
    await ready(page, `#/cadre/${cadreId}?knownAt=${encodeURIComponent(moments[before])}`);
    const then = await api<TimelineAnswer>(`/v1/cadres/${cadreId}/timeline?knownAt=${encodeURIComponent(moments[before])}`);
    const drawnThen = await bars();
    expect(drawnThen).toEqual(then.timeline.flatMap((t) => t.effects).map((e) => ({ effect: e.effect, clause: e.citation.text })));
    expect(drawnThen.length).toBeLessThan(drawn.length);
    expect(await page.locator('#knownat-value').innerText()).toBe(moments[before]);
    expect(await page.locator('#verdict').innerText()).toContain(then.knownAt);
    await page.screenshot({ path: join(shots, 'cadre-known-earlier.png'), fullPage: true });
    await context.close();
  });

  it('works for the auditor, who reads every unit', async () => {
    const token = await runLedger(['token', '--role', 'auditor', '--units', 'none-of-them', '--ttl', '1h'], { ...process.env, LEDGER_DATA_DIR: dataDir });
    expect(token.code).toBe(0);
    const { context, page } = await open();
    await logIn(page, token.stdout.trim());
    expect(await page.locator('[data-figure="incentive"] .figure').innerText()).toMatch(/^\d+$/);
    const cases = await api<{ items: { cadreId: string; name: string }[] }>('/v1/cases?limit=1');
    const first = cases.items[0];
    await page.getByRole('link', { name: first.name }).first().click();
    await ready(page, `#/cadre/${first.cadreId}`);
    expect(await page.locator('#view h1').innerText()).toContain(first.name);
    await page.screenshot({ path: join(shots, 'cadre-auditor.png'), fullPage: true });
    // The auditor may draw the dossier: the page saves the PDF the API gives.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '生成提名审查材料(PDF)' }).click()]);
    const saved = join(shots, 'dossier-from-dashboard.pdf');
    await download.saveAs(saved);
    const pdf = await readFile(saved);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(squeezed((await pdfText(pdf)).pages.join(''))).toContain(squeezed(`${first.name}(${first.cadreId})`));
    await context.close();
  });

  it('sends the dashboard role figures only: no name reaches its page, small counts are suppressed', async () => {
    const { context, page, requests } = await open();
    await logIn(page, dashboardToken);
    await page.goto(`${url}/dashboard#/cadre/${encodeURIComponent('d7-sn-0001')}`);
    await ready(page, `#/cadre/d7-sn-0001`);
    await page.goto(`${url}/dashboard#/`);
    await ready(page, '#/');
    const asked = requests.filter((r) => r.startsWith('/v1/')).map((r) => r.split('?')[0]);
    expect([...new Set(asked)].sort()).toEqual(['/v1/me', '/v1/stats', '/v1/stats/mechanisms']);
    expect(await page.locator('#nav-cadres').isHidden()).toBe(true);
    const text = await page.locator('body').innerText();
    const names = (await api<{ items: { name: string }[] }>('/v1/cadres?limit=100')).items.map((c) => c.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => text.includes(n))).toEqual([]);
    const stats = await api<{ suppressed: string[] }>(`/v1/stats?year=${await page.locator('#year').inputValue()}`, dashboardToken);
    for (const key of stats.suppressed.filter((k) => !k.includes('.'))) {
      const card = page.locator(`[data-figure="${key}"] .figure`);
      if ((await card.count()) > 0) expect(await card.innerText()).toBe('数量较少,不予显示');
    }
    await page.screenshot({ path: join(shots, 'overview-dashboard-role.png'), fullPage: true });
    await accessible(page, 'overview (dashboard role)');
    await context.close();
  });

  it('keeps to its content security policy: no script error, no blocked resource on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
