import { deputy, post, startTestApi, type TestApi } from './support/test-api';

/**
 * What the dashboard page asks the API (issue "What people look at"): who a token is and what it
 * may read, the 三项机制 figures per year and unit (suppressed for the dashboard role), standing
 * review triggers as a list, a cadre's timeline at any knownAt; and the page itself, served by the
 * API with no outside resource.
 */
jest.setTimeout(90_000);

describe('the dashboard\'s API and page', () => {
  let api: TestApi;
  const get = async (path: string, roles: string[], units: string[] = ['*']) => api.http().get(path).auth(await api.token(roles, units), { type: 'bearer' });

  beforeAll(async () => {
    api = await startTestApi('dashboard');
    expect((await post(api, '/v1/units', { unitId: 'u-a', name: '甲县人民政府', level: 'county', jurisdiction: 'CN-SN', effectiveAt: '2010-01-01' })).status).toBe(201);
    const register = (cadreId: string, unitId: string) => post(api, '/v1/cadres', { cadreId, name: `干部${cadreId}`, unitId, jurisdiction: 'CN-SN', managedBy: 'provincial', position: deputy, effectiveAt: '2015-01-01' });
    // Six commended in unit u-a in 2024, one in u-b: above and below the small-count threshold (5).
    for (let i = 1; i <= 6; i++) {
      expect((await register(`a-${i}`, 'u-a')).status).toBe(201);
      expect((await post(api, `/v1/cadres/a-${i}/commendations`, { level: 'county', kind: 'citation', title: '嘉奖', effectiveAt: '2024-05-01' })).status).toBe(201);
    }
    expect((await register('b-1', 'u-b')).status).toBe(201);
    expect((await post(api, '/v1/cadres/b-1/commendations', { level: 'county', kind: 'citation', title: '嘉奖', effectiveAt: '2024-05-01' })).status).toBe(201);
    expect((await post(api, '/v1/cadres/b-1/adjustments', { kind: 'transfer-out', newPosition: deputy, effectiveAt: '2023-03-01' })).status).toBe(201);
    // A standing review trigger (第七条: 满意度低) for the list.
    expect((await post(api, '/v1/cadres/a-1/findings', { category: 'leadership-review', kind: 'low-satisfaction', effectiveAt: '2026-01-10' })).status).toBe(201);
    await api.project();
  });
  afterAll(async () => api?.close());

  it('GET /v1/me says who the token is and what it may read', async () => {
    const dashboard = await get('/v1/me', ['dashboard']);
    expect(dashboard.status).toBe(200);
    expect(dashboard.body).toMatchObject({ roles: ['dashboard'], suppressedFigures: true, may: { stats: true, cadres: false, history: false, queues: false, dossier: false } });
    const organization = await get('/v1/me', ['organization'], ['u-a']);
    expect(organization.body).toMatchObject({ units: ['u-a'], suppressedFigures: false, may: { stats: false, cadres: true, history: true, queues: true, dossier: true, audit: false } });
    expect((await get('/v1/me', ['auditor'])).body.may).toMatchObject({ stats: true, history: true, audit: true, dossier: true });
    expect((await api.http().get('/v1/me')).status).toBe(401);
  });

  it('GET /v1/stats/mechanisms: persons per year in total and per unit, with the unit\'s name; every year of the range present', async () => {
    const res = await get('/v1/stats/mechanisms?from=2022&to=2024', ['admin']);
    expect(res.status).toBe(200);
    expect(res.body.totals).toEqual([
      { year: 2022, unitId: null, unitName: null, incentive: 0, tolerance: 0, adjustment: 0 },
      { year: 2023, unitId: null, unitName: null, incentive: 0, tolerance: 0, adjustment: 1 },
      { year: 2024, unitId: null, unitName: null, incentive: 7, tolerance: 0, adjustment: 0 },
    ]);
    expect(res.body.byUnit).toEqual([
      { year: 2023, unitId: 'u-b', unitName: null, incentive: 0, tolerance: 0, adjustment: 1 },
      { year: 2024, unitId: 'u-a', unitName: '甲县人民政府', incentive: 6, tolerance: 0, adjustment: 0 },
      { year: 2024, unitId: 'u-b', unitName: null, incentive: 1, tolerance: 0, adjustment: 0 },
    ]);
    // The totals agree with /v1/stats year by year.
    for (const total of res.body.totals as { year: number; incentive: number; tolerance: number; adjustment: number }[]) {
      expect((await get(`/v1/stats?year=${total.year}`, ['admin'])).body).toMatchObject({ incentive: total.incentive, tolerance: total.tolerance, adjustment: total.adjustment });
    }
    // Within a token's units only.
    const scoped = await get('/v1/stats/mechanisms?from=2024&to=2024', ['dashboard'], ['u-b']);
    expect(scoped.body.byUnit.map((r: { unitId: string }) => r.unitId)).toEqual(['u-b']);
  });

  it('suppresses small counts for the dashboard role, and a second figure wherever the total would give one back; refuses a bad range', async () => {
    const res = await get('/v1/stats/mechanisms?from=2024&to=2024', ['dashboard']);
    expect(res.body.totals).toEqual([{ year: 2024, unitId: null, unitName: null, incentive: 7, tolerance: null, adjustment: null, suppressed: ['tolerance', 'adjustment'] }]);
    // u-b's 1 is below the threshold; with the total 7 shown, u-a's 6 would give it back: withheld too.
    expect(res.body.byUnit).toEqual([
      { year: 2024, unitId: 'u-a', unitName: '甲县人民政府', incentive: null, tolerance: null, adjustment: null, suppressed: ['incentive', 'tolerance', 'adjustment'] },
      { year: 2024, unitId: 'u-b', unitName: null, incentive: null, tolerance: null, adjustment: null, suppressed: ['incentive', 'tolerance', 'adjustment'] },
    ]);
    for (const query of ['from=2024&to=2020', 'from=1990&to=2024', 'from=24', 'unitId=a%20b']) {
      const bad = await get(`/v1/stats/mechanisms?${query}`, ['admin']);
      expect(bad.status).toBe(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    // Nor does a unit's own answer, or /v1/stats for it, give back what the whole answer withholds.
    expect((await get('/v1/stats/mechanisms?from=2024&to=2024&unitId=u-a', ['dashboard'])).body.totals[0].incentive).toBeNull();
    expect((await get('/v1/stats?year=2024&unitId=u-a', ['dashboard'])).body.incentive).toBeNull();
    expect((await get('/v1/stats?year=2024', ['dashboard'])).body.incentive).toBe(7);
    expect((await get('/v1/stats/mechanisms?unitId=u-a', ['dashboard'], ['u-b'])).status).toBe(404);
    expect((await get('/v1/stats/mechanisms', ['organization'])).status).toBe(403);
  });

  it('GET /v1/review-triggers lists standing triggers with name and clause, within the token\'s units', async () => {
    const res = await get('/v1/review-triggers', ['organization'], ['u-a']);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [expect.objectContaining({ cadreId: 'a-1', name: '干部a-1', unitId: 'u-a', ruleId: 'CN-SN/NSX-7-low-satisfaction', since: '2026-01-10', citation: expect.objectContaining({ text: '群众反映强烈,满意度低的;' }) })],
      nextCursor: null,
    });
    const stats = await get('/v1/stats', ['admin']);
    expect(stats.body.openReviewTriggers).toBe(res.body.items.length);
    expect((await get('/v1/review-triggers', ['organization'], ['u-b'])).body.items).toEqual([]);
    expect((await get('/v1/review-triggers', ['dashboard'])).status).toBe(403);
    expect((await get('/v1/review-triggers?cursor=nonsense', ['admin'])).status).toBe(400);
  });

  it('GET /v1/cadres/{id}/timeline: the facts with what each produced, as recorded at knownAt; read-audited as a replay', async () => {
    const now = await get('/v1/cadres/b-1/timeline', ['discipline'], ['u-b']);
    expect(now.status).toBe(200);
    const types = (now.body.timeline as { type: string }[]).map((t) => t.type);
    expect(types).toEqual(['CadreRegistered', 'CadreAdjusted', 'CommendationIssued']);
    const adjusted = now.body.timeline[1] as { recordedAt: string; effects: { effect: string; kind: string; from: string; citation: { text: string } }[] };
    expect(adjusted.effects).toEqual(expect.arrayContaining([expect.objectContaining({ effect: 'lock', kind: 'transfer-out', from: '2023-03-01' })]));
    // As recorded just before the adjustment: only the registration, and no lock.
    const registered = now.body.timeline[0] as { recordedAt: string };
    const before = await get(`/v1/cadres/b-1/timeline?knownAt=${encodeURIComponent(registered.recordedAt)}`, ['auditor']);
    expect(before.body.timeline.map((t: { type: string }) => t.type)).toEqual(['CadreRegistered']);
    expect(before.body.knownAt).toBe(registered.recordedAt);
    const access = await get('/v1/audit/access?cadreId=b-1', ['auditor']);
    expect(access.body.items.filter((i: { what: string }) => i.what === 'replay')).toHaveLength(2);
    expect((await get('/v1/cadres/b-1/timeline', ['discipline'], ['u-a'])).status).toBe(404);
    expect((await get('/v1/cadres/b-1/timeline', ['dashboard'])).status).toBe(403);
    expect((await get('/v1/cadres/b-1/timeline?knownAt=yesterday', ['admin'])).status).toBe(400);
  });

  it('serves the page and its chart library itself, with a policy that allows nothing from elsewhere', async () => {
    for (const path of ['/dashboard', '/dashboard/']) {
      const page = await api.http().get(path);
      expect(page.status).toBe(200);
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      expect(page.headers['content-security-policy']).toContain("script-src 'self';");
      expect(page.text).toContain('<html lang="zh-CN">');
    }
    for (const asset of ['/dashboard/app.js', '/dashboard/app.css', '/dashboard/vendor/echarts.min.js']) {
      const res = await api.http().get(asset);
      expect(res.status).toBe(200);
      // No file of the page names a resource on another host.
      if (!asset.includes('vendor')) expect(res.text).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    }
    expect((await api.http().get('/dashboard/../package.json')).status).toBe(404);
  });
});
