import { post, startTestApi, type TestApi } from './support/test-api';

/**
 * Finding people (API.md, "Cadres carry who manages them…", the directory): by name, by pinyin in
 * full or by initials, with polyphonic surnames read as surnames, within the token's units only,
 * never for the dashboard role; and a cadre's history a page at a time.
 */
jest.setTimeout(60_000);

const chief = { title: '县长', level: 'county-chief', leadership: true, principal: true };
const deputy = { title: '副县长', level: 'county-deputy', leadership: true, principal: false, portfolios: ['safety'] };

describe('the directory', () => {
  let api: TestApi;
  let admin: string;
  const get = (path: string, token = admin) => api.http().get(path).auth(token, { type: 'bearer' });
  const created = async (path: string, body: object) => {
    const res = await post(api, path, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  };
  const ids = (res: { body: { items: { cadreId: string }[] } }) => res.body.items.map((i) => i.cadreId);

  beforeAll(async () => {
    api = await startTestApi('directory');
    admin = await api.token(['admin']);
    await created('/v1/units', { unitId: 'ns', name: '宁陕县', level: 'county', jurisdiction: 'CN-SN', effectiveAt: '2010-01-01' });
    await created('/v1/units', { unitId: 'zy', name: '紫阳县', level: 'county', jurisdiction: 'CN-SN', effectiveAt: '2010-01-01' });
    const cadres: [string, string, string, object, string?][] = [
      ['ns-001', '赵文清', 'ns', chief, 'provincial'],
      ['ns-002', '单雄信', 'ns', deputy, 'municipal'],
      ['ns-003', '曾国藩', 'ns', deputy],
      ['zy-001', '解缙', 'zy', chief, 'provincial'],
      ['zy-002', '仇英', 'zy', deputy],
      ['zy-003', '赵文静', 'zy', deputy],
    ];
    for (const [cadreId, name, unitId, position, managedBy] of cadres) {
      await created('/v1/cadres', { cadreId, name, unitId, jurisdiction: 'CN-SN', position, ...(managedBy ? { managedBy } : {}), effectiveAt: '2016-03-01' });
    }
    for (let i = 0; i < 5; i++) await created('/v1/cadres/ns-001/talks', { kind: 'reminder', reason: `提醒谈话${i}`, effectiveAt: `2020-0${i + 1}-10` });
    await api.project();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('finds 赵文清 in a county unit by q=zwq; the unit shows its name, level and principal; the dashboard role is refused', async () => {
    const found = await get('/v1/cadres?unitId=ns&q=zwq');
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([
      { cadreId: 'ns-001', name: '赵文清', unitId: 'ns', unitName: '宁陕县', jurisdiction: 'CN-SN', position: { ...chief, partySecretary: false, portfolios: [] }, managedBy: 'provincial', positionSince: '2016-03-01', revision: 5 },
    ]);
    expect((await get('/v1/units/ns')).body).toMatchObject({ name: '宁陕县', level: 'county', principalCadreId: 'ns-001', principalName: '赵文清' });
    const dashboard = await get('/v1/cadres?q=zwq', await api.token(['dashboard']));
    expect(dashboard.status).toBe(403);
    expect(dashboard.body.items).toBeUndefined();
  });

  it.each([
    ['zhaowenqing', ['ns-001']],
    ['Zhao Wen Qing', ['ns-001']],
    ['wenqing', ['ns-001']],
    ['zhaowen', ['ns-001', 'zy-003']],
    ['赵文', ['ns-001', 'zy-003']],
    ['sxx', ['ns-002']],
    ['shanxiongxin', ['ns-002']],
    ['zgf', ['ns-003']],
    ['zengguofan', ['ns-003']],
    ['xiejin', ['zy-001']],
    ['qiuying', ['zy-002']],
    ['zy-00', ['zy-001', 'zy-002', 'zy-003']],
  ])('q=%s finds %j (polyphonic surnames read as surnames: 单 shan, 曾 zeng, 解 xie, 仇 qiu)', async (q, expected) => {
    expect(ids(await get(`/v1/cadres?q=${encodeURIComponent(q)}`))).toEqual(expected);
  });

  it('filters by level and management, and shows a token only its own units', async () => {
    expect(ids(await get('/v1/cadres?level=county-chief'))).toEqual(['ns-001', 'zy-001']);
    expect(ids(await get('/v1/cadres?managedBy=provincial&unitId=zy'))).toEqual(['zy-001']);
    const zy = await api.token(['organization'], ['zy']);
    expect(ids(await get('/v1/cadres?q=zhaowen', zy))).toEqual(['zy-003']);
    expect(ids(await get('/v1/cadres?unitId=ns', zy))).toEqual([]);
  });

  it('pages by cursor, and refuses a cursor it did not issue', async () => {
    const first = await get('/v1/cadres?limit=4');
    expect(ids(first)).toEqual(['ns-001', 'ns-002', 'ns-003', 'zy-001']);
    const second = await get(`/v1/cadres?limit=4&cursor=${first.body.nextCursor}`);
    expect([ids(second), second.body.nextCursor]).toEqual([['zy-002', 'zy-003'], null]);
    const bad = await get('/v1/cadres?cursor=bm90LW91cnM');
    expect([bad.status, bad.body.code ?? bad.body.type]).toEqual([400, expect.stringContaining('invalid-cursor')]);
  });

  it('records every cadre a directory page shows as a read of its profile', async () => {
    const auditor = await api.token(['organization'], ['zy'], 'zzb-directory-reader');
    await get('/v1/cadres?unitId=zy&q=qiu', auditor);
    const access = await get('/v1/audit/access?actor=zzb-directory-reader');
    expect(access.body.items.map((i: { cadreId: string; what: string }) => [i.cadreId, i.what])).toEqual([['zy-002', 'profile']]);
  });

  it('gives a history a page at a time when a limit is asked for, and every event otherwise', async () => {
    const whole = await get('/v1/cadres/ns-001/history');
    expect(whole.body.events).toHaveLength(6);
    expect(whole.body.nextCursor).toBeUndefined();
    const pages: number[][] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/v1/cadres/ns-001/history?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(res.body.events.map((e: { revision: number }) => e.revision));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual([[0, 1, 2, 3], [4, 5]]);
    expect((await get('/v1/cadres/ns-001/history?cursor=x')).status).toBe(400);
  });
});
