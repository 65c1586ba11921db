import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { waitUntil } from '@cadre-ledger/platform';
import { writeTemplate } from '@cadre-ledger/intake';
import { deputy, position, post, startTestApi, type TestApi } from './support/test-api';

/**
 * 选人用人 audit (issue "find promotions made inside a lock"): a promotion that a later, backdated
 * fact puts inside a lock is detected once, listed with knownAtPromotion false, resolved when the
 * fact is retracted; a historical import of a promotion inside a known lock is listed as known;
 * auditor and admin only; counts in /v1/stats.
 */
jest.setTimeout(90_000);

describe('the 选人用人 audit over HTTP', () => {
  let api: TestApi;
  let dir: string;
  beforeAll(async () => {
    api = await startTestApi('conflicts');
    dir = await mkdtemp(join(tmpdir(), 'conflicts-e2e-'));
  });
  afterAll(async () => {
    await api?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const get = async (path: string, roles: string[] = ['auditor']) => api.http().get(path).auth(await api.token(roles), { type: 'bearer' });
  const history = async (cadreId: string) => (await get(`/v1/cadres/${cadreId}/history`, ['admin'])).body.events as { eventId: string; type: string; recordedAt: string; data: Record<string, unknown> }[];

  it('detects a promotion that a backdated sanction puts inside a lock: listed as not known at the promotion, once; resolved by the retraction', async () => {
    expect((await post(api, '/v1/cadres', { cadreId: 'a-1', name: '李明', unitId: 'sx-fgw', jurisdiction: 'CN-SN', position: deputy, effectiveAt: '2015-01-01' })).status).toBe(201);
    const promotion = await post(api, '/v1/cadres/a-1/promotions', { newPosition: position, effectiveAt: '2021-03-15' });
    expect(promotion.status).toBe(201);
    // Recorded after the promotion, effective before it: a party warning holds promotion for 12 months.
    const sanction = await post(api, '/v1/cadres/a-1/sanctions', { system: 'party', kind: 'warning', effectiveAt: '2021-01-10' });
    expect(sanction.status).toBe(201);
    await api.project(undefined, { reactions: true });

    const detected = (await history('a-1')).filter((e) => e.type === 'ConflictDetected');
    expect(detected.map((e) => e.data)).toEqual([expect.objectContaining({ promotionEventId: promotion.body.eventId, sourceEventId: sanction.body.eventId, promotedOn: '2021-03-15', occurrence: 1 })]);
    const listed = await get('/v1/audit/conflicts?unitId=sx-fgw&from=2021-01-01&to=2021-12-31');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        cadreId: 'a-1',
        name: '李明',
        promotionEventId: promotion.body.eventId,
        promotedOn: '2021-03-15',
        knownAtPromotion: false,
        lock: expect.objectContaining({ ruleId: (detected[0].data as { ruleId: string }).ruleId, sourceEventId: sanction.body.eventId, from: '2021-01-10', until: '2022-01-10', citation: expect.objectContaining({ article: expect.any(String), text: expect.any(String) }) }),
      }),
    ]);
    const [item] = listed.body.items as { promotionRecordedAt: string; lockRecordedAt: string }[];
    expect(item.lockRecordedAt > item.promotionRecordedAt).toBe(true);
    // Outside the period, or in another unit: nothing.
    expect((await get('/v1/audit/conflicts?from=2022-01-01')).body.items).toEqual([]);
    expect((await get('/v1/audit/conflicts?unitId=sx-other')).body.items).toEqual([]);

    // Projected again (a restart, a second projector): nothing more is appended.
    const before = await api.eventCount();
    await api.project(undefined, { reactions: true });
    expect(await api.eventCount()).toBe(before);

    const stats = await get('/v1/stats?year=2021', ['admin']);
    expect(stats.body).toMatchObject({ conflicts: 1, conflictsFoundLater: 1 });

    // The sanction retracted: the pair no longer holds.
    expect((await post(api, '/v1/cadres/a-1/retractions', { eventId: sanction.body.eventId, reason: '录入错误' })).status).toBe(201);
    await api.project(undefined, { reactions: true });
    const resolved = (await history('a-1')).filter((e) => e.type === 'ConflictResolved');
    expect(resolved.map((e) => e.data)).toEqual([expect.objectContaining({ promotionEventId: promotion.body.eventId, occurrence: 1 })]);
    expect((await get('/v1/audit/conflicts?unitId=sx-fgw')).body.items).toEqual([]);
  });

  it('answers the auditor and admin only; the dashboard role sees no list and a suppressed count', async () => {
    for (const roles of [['dashboard'], ['organization'], ['discipline'], ['assessment']]) expect((await get('/v1/audit/conflicts', roles)).status).toBe(403);
    expect((await get('/v1/audit/conflicts', ['admin'])).status).toBe(200);
    const stats = await get('/v1/stats?year=2021', ['dashboard']);
    expect(stats.status).toBe(200);
    expect(stats.body.suppressed).toEqual(expect.arrayContaining(['conflicts', 'conflictsFoundLater']));
  });

  it('refuses a period that ends before it begins, a bad date and a cursor it did not issue, appending nothing', async () => {
    const before = await api.eventCount();
    const cases = ['?from=2021-12-31&to=2021-01-01', '?from=2021-02-30', '?cursor=bm90LW91cnM'];
    for (const query of cases) {
      const res = await get(`/v1/audit/conflicts${query}`);
      expect([res.status, res.headers['content-type']]).toEqual([400, expect.stringContaining('application/problem+json')]);
    }
    expect(await api.eventCount()).toBe(before);
  });

  it('pages through the list with cursors', async () => {
    for (const id of ['p-1', 'p-2', 'p-3']) {
      expect((await post(api, '/v1/cadres', { cadreId: id, name: '王强', unitId: 'sx-page', jurisdiction: 'CN-SN', position: deputy, effectiveAt: '2015-01-01' })).status).toBe(201);
      expect((await post(api, `/v1/cadres/${id}/promotions`, { newPosition: position, effectiveAt: '2022-05-01' })).status).toBe(201);
      expect((await post(api, `/v1/cadres/${id}/sanctions`, { system: 'party', kind: 'warning', effectiveAt: '2022-04-01' })).status).toBe(201);
    }
    await api.project(undefined, { reactions: true });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/v1/audit/conflicts?unitId=sx-page&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...(res.body.items as { cadreId: string }[]).map((i) => i.cadreId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['p-1', 'p-2', 'p-3']);
  });

  it('stores a historical promotion made inside a known lock and lists it as known at the promotion', async () => {
    const path = join(dir, 'history.xlsx');
    await writeTemplate(path);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    workbook.getWorksheet('干部登记')!.getRow(2).values = ['H-1', '高峰', 'sx-hist', 'CN-SN', '局长', '乡科级正职', '是', '是', '', '', '省管', '2015-01-01', '', ''];
    workbook.getWorksheet('组织调整')!.getRow(2).values = ['H-1', '降职', '副局长', '乡科级副职', '是', '否', '', '', '', '2019-03-15', '陕组干〔2019〕8号', ''];
    workbook.getWorksheet('提拔')!.getRow(2).values = ['H-1', '局长', '乡科级正职', '是', '是', '', '', '', '', '2020-06-01', '陕组干〔2020〕2号', ''];
    await workbook.xlsx.writeFile(path);
    const org = await api.token(['organization'], ['*'], 'zzb-hr');
    const upload = await api.http().post('/v1/imports').auth(org, { type: 'bearer' }).field('mode', 'historical').attach('file', path);
    expect(upload.status).toBe(202);
    let job: { status: string; report: { conflicts: { code: string }[] } } | undefined;
    await waitUntil(async () => {
      job = (await api.http().get(upload.headers.location).auth(org, { type: 'bearer' })).body;
      return job?.status !== 'running';
    }, { timeoutMs: 60_000, description: 'the import job to end' });
    expect(job).toMatchObject({ status: 'succeeded', report: { conflicts: [expect.objectContaining({ code: 'promotion-locked' })] } });

    await api.project(undefined, { reactions: true });
    const listed = await get('/v1/audit/conflicts?unitId=sx-hist');
    expect(listed.body.items).toEqual([expect.objectContaining({ cadreId: 'H-1', promotedOn: '2020-06-01', knownAtPromotion: true, lock: expect.objectContaining({ from: '2019-03-15' }) })]);
    expect((await history('H-1')).filter((e) => e.type === 'ConflictDetected')).toHaveLength(1);
  });
});
