import { post, startTestApi, type TestApi } from './support/test-api';

/**
 * 能下 over HTTP: units registered with a level, findings validated against the category/kind
 * table and recorded by the roles API.md names, and the 陕西 能上能下办法 第六–十三条 answering in
 * the eligibility verdict with the clause quoted.
 */
jest.setTimeout(60_000);

const chief = { title: '县长', level: 'county-chief', leadership: true, principal: true };
const safetyDeputy = { title: '副县长', level: 'county-deputy', leadership: true, principal: false, portfolios: ['safety'] };

describe('能下 situations over HTTP', () => {
  let api: TestApi;
  let admin: string;
  beforeAll(async () => {
    api = await startTestApi('nengxia');
    admin = await api.token(['admin']);
  });
  afterAll(async () => {
    await api?.close();
  });

  const created = async (path: string, body: object) => {
    const res = await post(api, path, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { eventId: string; unitId?: string; revision: number };
  };
  const verdict = async (cadreId: string, asOf: string) => {
    const res = await api.http().get(`/v1/cadres/${cadreId}/eligibility?asOf=${asOf}`).auth(admin, { type: 'bearer' });
    expect(res.status).toBe(200);
    return res.body as { reviewTriggers: { ruleId: string; kind: string; since: string; until: string; citation: { article: string; text: string } }[]; notes: { kind: string; text: string }[] };
  };

  it('registers a unit once, a department only under a registered parent', async () => {
    expect((await created('/v1/units', { unitId: 'sx', name: '陕西省', level: 'province', jurisdiction: 'CN-SN', effectiveAt: '2015-01-01' })).unitId).toBe('sx');
    const before = await api.eventCount();
    const again = await post(api, '/v1/units', { unitId: 'sx', name: '陕西省', level: 'province', jurisdiction: 'CN-SN', effectiveAt: '2015-01-01' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('unit-already-registered');
    const orphan = await post(api, '/v1/units', { unitId: 'sx-x', name: '某厅', level: 'department', parentUnitId: 'nowhere', jurisdiction: 'CN-SN', effectiveAt: '2015-01-01' });
    expect(orphan.status).toBe(422);
    expect(orphan.body.code).toBe('parent-unit-not-registered');
    const badLevel = await post(api, '/v1/units', { unitId: 'sx-y', name: '某地', level: 'village', jurisdiction: 'CN-SN', effectiveAt: '2015-01-01' });
    expect(badLevel.status).toBe(400);
    expect(await api.eventCount()).toBe(before);
  });

  it('refuses a finding whose kind is not of its category with a 400 naming the allowed kinds, and appends nothing', async () => {
    const before = await api.eventCount();
    const res = await post(api, '/v1/units/sx/findings', { category: 'safety', kind: 'bottom-two', effectiveAt: '2022-01-01' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid-finding-kind');
    expect(res.body.detail).toContain('production-accident, food-drug-accident, criticised');
    const noLevel = await post(api, '/v1/units/sx/findings', { category: 'safety', kind: 'production-accident', effectiveAt: '2022-01-01' });
    expect(noLevel.status).toBe(400);
    expect(noLevel.body.code).toBe('finding-level-required');
    const wrongField = await post(api, '/v1/units/sx/findings', { category: 'county-monitoring', kind: 'rank-drop-top3', criticisedBy: 'provincial-committee', effectiveAt: '2022-01-01' });
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.code).toBe('finding-field-not-applicable');
    const cadreCategory = await post(api, '/v1/units/sx/findings', { category: 'leadership-review', kind: 'disunity', effectiveAt: '2022-01-01' });
    expect(cadreCategory.status).toBe(400);
    expect(cadreCategory.body.code).toBe('invalid-finding-category');
    expect(await api.eventCount()).toBe(before);
  });

  it('lets assessment record rankings but not party-building findings (403), as API.md assigns them', async () => {
    const assessment = await api.token(['assessment']);
    const denied = await api.http().post('/v1/units/sx/findings').auth(assessment, { type: 'bearer' }).send({ category: 'party-building', kind: 'rectification-failure', effectiveAt: '2022-01-01' });
    expect(denied.status).toBe(403);
    const allowed = await api.http().post('/v1/units/sx/findings').auth(assessment, { type: 'bearer' }).send({ category: 'county-monitoring', kind: 'last-indicators', year: 2021, effectiveAt: '2022-01-01' });
    expect(allowed.status).toBe(201);
  });

  it('第十二条(一): two 较大 accidents of a county within a year concern its principal and its deputy in charge of safety, not another deputy', async () => {
    await created('/v1/units', { unitId: 'ningshan', name: '宁陕县', level: 'county', jurisdiction: 'CN-SN', effectiveAt: '2015-01-01' });
    for (const [cadreId, position] of [['ns-chief', chief], ['ns-safety', safetyDeputy], ['ns-other', { ...safetyDeputy, portfolios: ['economy'] }]] as const) {
      await created('/v1/cadres', { cadreId, name: '王磊', unitId: 'ningshan', jurisdiction: 'CN-SN', managedBy: 'provincial', position, effectiveAt: '2015-01-01' });
    }
    const accident = (effectiveAt: string) => created('/v1/units/ningshan/findings', { category: 'safety', kind: 'production-accident', level: 'relatively-major', effectiveAt });
    await accident('2022-11-15');
    expect((await verdict('ns-chief', '2023-01-31')).reviewTriggers).toEqual([]);
    await accident('2023-02-01');
    for (const cadreId of ['ns-chief', 'ns-safety']) {
      const triggers = (await verdict(cadreId, '2023-02-01')).reviewTriggers;
      expect(triggers).toMatchObject([{ ruleId: 'CN-SN/NSX-12-1', kind: 'nsx-12-1', since: '2023-02-01', until: '2024-02-01', citation: { article: '第十二条(一)' } }]);
      expect(triggers[0].citation.text).toContain('一年内发生1起重大以上或2起以上(含2起)较大生产安全责任事故的县(区)主要负责人和分管领导干部');
    }
    expect((await verdict('ns-other', '2023-02-01')).reviewTriggers).toEqual([]);
  });

  it('第七条: a 领导班子研判 finding on the cadre triggers its review; an accident in an unregistered unit says the unit is not registered', async () => {
    await created('/v1/cadres', { cadreId: 'unreg-1', name: '李娜', unitId: 'not-registered', jurisdiction: 'CN-SN', managedBy: 'provincial', position: chief, effectiveAt: '2015-01-01' });
    await created('/v1/cadres/unreg-1/findings', { category: 'leadership-review', kind: 'low-satisfaction', effectiveAt: '2022-03-01' });
    await created('/v1/units/not-registered/findings', { category: 'safety', kind: 'production-accident', level: 'especially-major', effectiveAt: '2022-04-01' });
    const answer = await verdict('unreg-1', '2022-04-01');
    expect(answer.reviewTriggers).toMatchObject([{ ruleId: 'CN-SN/NSX-7-low-satisfaction', citation: { text: '群众反映强烈,满意度低的;' } }]);
    expect(answer.notes).toEqual([expect.objectContaining({ kind: 'unit-not-registered' })]);
    const wrong = await post(api, '/v1/cadres/unreg-1/findings', { category: 'safety', kind: 'criticised', effectiveAt: '2022-03-01' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('invalid-finding-category');
  });

  it('第十五条: 报告 on a standing trigger, 审核 that must hear the cadre, 报批, 决定 resolving the trigger, 谈话', async () => {
    await created('/v1/units', { unitId: 'hanbin', name: '汉滨区', level: 'county', jurisdiction: 'CN-SN', effectiveAt: '2015-01-01' });
    await created('/v1/cadres', { cadreId: 'hb-chief', name: '陈刚', unitId: 'hanbin', jurisdiction: 'CN-SN', managedBy: 'provincial', position: chief, effectiveAt: '2015-01-01' });
    await created('/v1/units/hanbin/findings', { category: 'stability', kind: 'mass-incident', level: 'especially-major', effectiveAt: '2023-03-01' });
    expect((await verdict('hb-chief', '2023-03-01')).reviewTriggers).toMatchObject([{ ruleId: 'CN-SN/NSX-13-1' }]);
    const cases = '/v1/cadres/hb-chief/adjustment-cases';

    const refusals = async (attempts: [string, object, number, string][]) => {
      for (const [path, body, status, code] of attempts) {
        const before = await api.eventCount();
        const res = await post(api, path, body);
        expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status, code });
        expect(await api.eventCount()).toBe(before);
      }
    };
    await refusals([[cases, { caseId: 'nsx-1', triggers: ['CN-SN/NSX-12-1'], report: { proposedKind: 'transfer-out' }, effectiveAt: '2023-03-10' }, 422, 'trigger-not-open']]);
    await created(cases, { caseId: 'nsx-1', triggers: ['CN-SN/NSX-13-1'], report: { proposedKind: 'non-leadership' }, effectiveAt: '2023-03-10' });
    await refusals([[`${cases}/nsx-1/approval`, { approved: true, effectiveAt: '2023-03-20' }, 409, 'adjustment-step-out-of-order']]);
    const review = await created(`${cases}/nsx-1/review`, { cadreStatementHeard: false, summary: '书面核实', effectiveAt: '2023-03-15' });
    await refusals([[`${cases}/nsx-1/approval`, { approved: true, effectiveAt: '2023-03-20' }, 422, 'cadre-not-heard']]);
    await created('/v1/cadres/hb-chief/retractions', { eventId: review.eventId, reason: '未听取本人说明,重新审核' });
    await created(`${cases}/nsx-1/review`, { cadreStatementHeard: true, summary: '听取本人说明', effectiveAt: '2023-03-16' });
    await refusals([[`${cases}/nsx-1/approval`, { approved: true, effectiveAt: '2023-03-01' }, 409, 'adjustment-step-before-previous']]);
    await created(`${cases}/nsx-1/approval`, { approved: true, effectiveAt: '2023-03-20' });
    await refusals([[`${cases}/nsx-1/decision`, { kind: 'removal', effectiveAt: '2023-04-01' }, 422, 'decision-heavier-than-approved']]);
    await created(`${cases}/nsx-1/decision`, { kind: 'non-leadership', newPosition: { title: '调研员', level: 'county-chief', leadership: false, principal: false }, effectiveAt: '2023-04-01' });
    await created(`${cases}/nsx-1/talk`, { effectiveAt: '2023-04-02' });

    const after = (await api.http().get('/v1/cadres/hb-chief/eligibility?asOf=2023-04-02').auth(admin, { type: 'bearer' })).body;
    expect(after.reviewTriggers).toEqual([]);
    expect(after.locks).toMatchObject([{ ruleId: 'CN-SN/NSX-16a', kind: 'non-leadership', until: '2024-04-01' }]);
  });

  it('the 能下 queue: the unit with its principal, the open case at its step in /v1/cases, per-step counts in /v1/stats (suppressed for the dashboard)', async () => {
    await created('/v1/units', { unitId: 'ziyang', name: '紫阳县', level: 'county', jurisdiction: 'CN-SN', effectiveAt: '2015-01-01' });
    await created('/v1/cadres', { cadreId: 'zy-chief', name: '赵文清', unitId: 'ziyang', jurisdiction: 'CN-SN', managedBy: 'provincial', position: chief, effectiveAt: '2015-01-01' });
    await created('/v1/units/ziyang/findings', { category: 'stability', kind: 'mass-incident', level: 'especially-major', effectiveAt: '2024-05-01' });
    await created('/v1/cadres/zy-chief/adjustment-cases', { caseId: 'zy-1', triggers: ['CN-SN/NSX-13-1'], report: { proposedKind: 'transfer-out' }, effectiveAt: '2024-05-10' });
    await created('/v1/cadres/zy-chief/adjustment-cases/zy-1/review', { cadreStatementHeard: true, summary: '听取本人说明', effectiveAt: '2024-05-20' });
    await api.project();
    const get = (path: string, token = admin) => api.http().get(path).auth(token, { type: 'bearer' });

    expect((await get('/v1/units/ziyang')).body).toMatchObject({ unitId: 'ziyang', name: '紫阳县', level: 'county', principalCadreId: 'zy-chief', principalName: '赵文清' });
    expect((await get('/v1/units?q=紫阳')).body.items.map((u: { unitId: string }) => u.unitId)).toEqual(['ziyang']);
    const cases = await get('/v1/cases?kind=adjustment&unitId=ziyang');
    expect(cases.status).toBe(200);
    expect(cases.body.items).toMatchObject([{ kind: 'adjustment', cadreId: 'zy-chief', name: '赵文清', caseId: 'zy-1', step: 'reviewed', lastStepOn: '2024-05-20', triggers: ['CN-SN/NSX-13-1'] }]);
    expect((await get('/v1/cases?kind=adjustment&step=reported&unitId=ziyang')).body.items).toEqual([]);
    const mismatch = await get('/v1/cases?kind=tolerance&step=reviewed');
    expect([mismatch.status, mismatch.body.errors]).toEqual([400, [{ field: 'step', message: expect.stringContaining('requested') }]]);

    const stats = await get('/v1/stats?unitId=ziyang&year=2024');
    expect(stats.body).toMatchObject({ pendingAdjustmentCases: 1, openReviewTriggers: 0, adjustmentCasesByStep: { reported: 0, reviewed: 1, approved: 0, decided: 0 } });
    const dashboard = await get('/v1/stats?unitId=ziyang&year=2024', await api.token(['dashboard'], ['ziyang']));
    expect(dashboard.body.adjustmentCasesByStep).toEqual({ reported: null, reviewed: null, approved: null, decided: null });
    expect(dashboard.body.suppressed).toEqual(expect.arrayContaining(['pendingAdjustmentCases', 'adjustmentCasesByStep.reviewed']));
    expect((await get('/v1/cases', await api.token(['dashboard'], ['ziyang']))).status).toBe(403);
  });

  it('excellence quotas: a registered unit only (404), then the grade beyond floor(headcount × 20%) is a 409 citing the rule, unless overridden', async () => {
    const missing = await post(api, '/v1/units/nowhere/review-quotas', { year: 2023, assessedHeadcount: 10, effectiveAt: '2024-01-05' });
    expect(missing.status).toBe(404);
    await created('/v1/units', { unitId: 'q-unit', name: '某县统计局', level: 'county', jurisdiction: 'CN', effectiveAt: '2015-01-01' });
    await created('/v1/units/q-unit/review-quotas', { year: 2023, assessedHeadcount: 5, effectiveAt: '2024-01-05' });
    for (const cadreId of ['q-1', 'q-2', 'q-3']) {
      await created('/v1/cadres', { cadreId, name: '周敏', unitId: 'q-unit', jurisdiction: 'CN', position: { title: '科员', level: 'township-deputy', leadership: false, principal: false }, effectiveAt: '2015-01-01' });
    }
    await created('/v1/cadres/q-1/annual-reviews', { year: 2023, grade: 'excellent', effectiveAt: '2024-01-20' });
    const before = await api.eventCount();
    const over = await post(api, '/v1/cadres/q-2/annual-reviews', { year: 2023, grade: 'excellent', effectiveAt: '2024-01-20' });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ code: 'excellence-quota-exceeded', ruleId: 'CN/KH-13', limit: 1, used: 1, citation: { document: '公务员考核规定(2020)', article: '第十三条' } });
    expect(await api.eventCount()).toBe(before);
    // The same refusal to a caller who reads Chinese: title and detail in Chinese, the code and details unchanged.
    const zh = await api.http().post('/v1/cadres/q-2/annual-reviews').auth(admin, { type: 'bearer' }).set('Accept-Language', 'zh-CN,zh;q=0.9').send({ year: 2023, grade: 'excellent', effectiveAt: '2024-01-20' });
    expect(zh.body).toMatchObject({ status: 409, title: '与现有记录冲突', code: 'excellence-quota-exceeded', limit: 1, used: 1, detail: '本单位2023年度优秀等次已达比例上限(最多 1 名,已有 1 名);确需超出的,请填写批准文号(quotaOverrideRef)' });
    expect(zh.headers['content-language']).toBe('zh');
    const invalid = await api.http().post('/v1/cadres/q-2/annual-reviews').auth(admin, { type: 'bearer' }).set('Accept-Language', 'zh').send({ year: 2023, grade: '特优', effectiveAt: '2024-01-20' });
    expect(invalid.body).toMatchObject({ status: 400, title: '请求有误', errors: [{ field: 'grade', message: expect.stringMatching(/^grade 须为以下之一/) }] });
    // floor(5 × 25%) = 1: an override cannot go beyond the cap either.
    const overridden = await post(api, '/v1/cadres/q-3/annual-reviews', { year: 2023, grade: 'excellent', quotaOverrideRef: '组字〔2024〕3号', effectiveAt: '2024-01-20' });
    expect(overridden.status).toBe(409);
    expect((await post(api, '/v1/cadres/q-3/annual-reviews', { year: 2023, grade: 'competent', effectiveAt: '2024-01-20' })).status).toBe(201);
  });
});
