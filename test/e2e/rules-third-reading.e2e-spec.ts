import { post, startTestApi, type TestApi } from './support/test-api';

/**
 * "Rules, third reading" (issue 27; RULEBOOK.md, "Additions of 2026-12b") over HTTP, one case per
 * correction, each answer with its clause quoted verbatim: the scope of a 第十六条 measure is the
 * level that took it; 第七条(二) for 市(区) and 省直部门 only; the 工作落实 约谈 answered only by the
 * 组织部长's admonition; a streak completed by a late review; qualities-to-confirm beside JL-7-1;
 * the 2023 纪律处分条例 from 2024-01-01, 第十条 whole; no-rule-for-date only where it could matter,
 * so a clean candidate's verdict and dossier carry no note.
 */
jest.setTimeout(120_000);

const chief = { title: '局长', level: 'county-chief', leadership: true, principal: true };
const deputy = { title: '副局长', level: 'county-deputy', leadership: true, principal: false };

interface Citation {
  document: string;
  article: string;
  text: string;
}
interface Entry {
  ruleId: string;
  kind: string;
  since: string;
  until?: string;
  sourceEventId: string;
  citation: Citation;
}
interface Verdict {
  promotable: boolean;
  locks: { ruleId: string; kind: string; from: string; until: string | null; measureTakenBy?: string; citation: Citation }[];
  priorities: Entry[];
  reviewTriggers: Entry[];
  conditions: Entry[];
  notes: { kind: string; text: string }[];
}

describe('rules, third reading, over HTTP', () => {
  let api: TestApi;
  let admin: string;
  beforeAll(async () => {
    api = await startTestApi('third-reading');
    admin = await api.token(['admin']);
  });
  afterAll(async () => {
    await api?.close();
  });

  const register = async (cadreId: string, jurisdiction: string, extra: Record<string, unknown> = {}, position: object = chief) => {
    const res = await post(api, '/v1/cadres', { cadreId, name: '赵文清', unitId: `u-${cadreId}`, jurisdiction, position, effectiveAt: '2010-03-01', ...extra });
    expect(res.status).toBe(201);
  };
  const write = async (path: string, body: object) => {
    const res = await post(api, path, body);
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.eventId as string;
  };
  const verdict = async (cadreId: string, asOf?: string): Promise<Verdict> => {
    const res = await api.http().get(`/v1/cadres/${cadreId}/eligibility${asOf ? `?asOf=${asOf}` : ''}`).auth(admin, { type: 'bearer' });
    expect(res.status).toBe(200);
    return res.body as Verdict;
  };

  it('1. keeps 第十六条\'s lock and consultation with a 省管 cadre demoted to a 市管 post: the scope is the level that took the measure', async () => {
    await register('s16', 'CN-SN', { managedBy: 'provincial' });
    // managedBy on the adjustment is the cadre's level after it; no measureTakenBy: the level the day before.
    await write('/v1/cadres/s16/adjustments', { kind: 'demotion', managedBy: 'municipal', newPosition: deputy, effectiveAt: '2022-03-15' });
    const during = await verdict('s16', '2024-03-14');
    expect(during.locks).toEqual([
      expect.objectContaining({ ruleId: 'CN-SN/NSX-16b', kind: 'demotion', until: '2024-03-15', measureTakenBy: 'provincial', citation: { document: '陕西省推进省管党政领导干部能上能下办法(试行)', article: '第十六条', text: '降职的,两年内不得提拔' } }),
    ]);
    const after = await verdict('s16', '2024-03-15');
    expect(after.conditions.find((c) => c.ruleId === 'CN-SN/NSX-16c')).toMatchObject({
      kind: 'consultation-required',
      citation: { article: '第十六条', text: '影响期满后,对德才表现和工作实绩突出,因工作需要且经考察符合任职条件拟重新任用的,在征求上一级组织人事部门意见后,可以按有关规定程序提拔任职。' },
    });
    const before = await api.eventCount();
    const refused = await post(api, '/v1/cadres/s16/promotions', { newPosition: chief, effectiveAt: '2024-04-01' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('consultation-required');
    expect(await api.eventCount()).toBe(before);
    expect((await post(api, '/v1/cadres/s16/promotions', { newPosition: chief, consultationRef: '陕组函〔2024〕9号', effectiveAt: '2024-04-01' })).status).toBe(201);

    // A measure the 省委 took on a 市管 cadre falls under 第十六条 by what the record says.
    await register('s16b', 'CN-SN', { managedBy: 'municipal' });
    await write('/v1/cadres/s16b/adjustments', { kind: 'removal', measureTakenBy: 'provincial', effectiveAt: '2022-05-10' });
    expect((await verdict('s16b', '2022-06-01')).locks.map((l) => [l.ruleId, l.measureTakenBy])).toEqual([['CN-SN/NSX-16a', 'provincial']]);
    const history = await api.http().get('/v1/cadres/s16b/history').auth(admin, { type: 'bearer' });
    expect(history.body.events.find((e: { type: string }) => e.type === 'CadreAdjusted').data).toMatchObject({ kind: 'removal', measureTakenBy: 'provincial' });
    const bad = await post(api, '/v1/cadres/s16b/sanctions', { system: 'party', kind: 'warning', measureTakenBy: 'township', effectiveAt: '2022-06-01' });
    expect(bad.status).toBe(400);
  });

  it('2. gives 第七条(二)\'s priority to a 省直部门\'s three excellent years, not to a county\'s, and says so for an unregistered unit', async () => {
    await write('/v1/units', { unitId: 'sn', name: '陕西省', level: 'province', jurisdiction: 'CN-SN', effectiveAt: '2010-01-01' });
    await write('/v1/units', { unitId: 'sn-jyt', name: '陕西省教育厅', level: 'department', parentUnitId: 'sn', jurisdiction: 'CN-SN', effectiveAt: '2010-01-01' });
    await write('/v1/units', { unitId: 'ak', name: '安康市', level: 'city', jurisdiction: 'CN-SN-AK', effectiveAt: '2010-01-01' });
    await write('/v1/units', { unitId: 'ak-nsx', name: '宁陕县', level: 'county', parentUnitId: 'ak', jurisdiction: 'CN-SN-AK', effectiveAt: '2010-01-01' });
    const cases = [
      ['p-dept', 'sn-jyt'],
      ['p-county', 'ak-nsx'],
      ['p-nowhere', 'u-unregistered'],
    ] as const;
    for (const [cadreId, unitId] of cases) {
      await register(cadreId, 'CN-SN', { managedBy: 'provincial', unitId });
      for (const year of [2019, 2020, 2021]) {
        const res = await post(api, `/v1/units/${unitId}/assessments`, { year, grade: 'excellent', effectiveAt: `${year + 1}-02-0${cases.findIndex(([c]) => c === cadreId) + 1}` });
        expect(res.status).toBe(201);
      }
    }
    const dept = await verdict('p-dept', '2022-06-01');
    expect(dept.priorities).toEqual([
      expect.objectContaining({ ruleId: 'CN-SN/JL-7-2', kind: 'unit-three-years-excellent', citation: { document: '陕西省党政干部鼓励激励办法(试行)', article: '第七条(二)', text: '对连续三年获得年度目标责任考核优秀等次的市(区)和省直部门,在干部选拔任用上给予倾斜,其党政干部优先提拔使用。' } }),
    ]);
    expect((await verdict('p-county', '2022-06-01')).priorities).toEqual([]);
    const nowhere = await verdict('p-nowhere', '2022-06-01');
    expect(nowhere.priorities).toEqual([]);
    expect(nowhere.notes).toEqual([{ kind: 'unit-not-registered', text: expect.stringContaining('unit u-unregistered is not registered') }]);
  });

  it('3. answers the 工作落实 约谈 only with an admonition, held by the 组织部长 or by someone not recorded (talk-holder-unknown)', async () => {
    await write('/v1/units', { unitId: 'xx-ny', name: '市农业局', level: 'city', jurisdiction: 'CN-XX', effectiveAt: '2010-01-01' });
    const admonitionRequired = (v: Verdict) => v.reviewTriggers.filter((t) => t.kind === 'admonition-required');
    for (const cadreId of ['g-known', 'g-unknown']) await register(cadreId, 'CN-XX', { unitId: 'xx-ny' });
    await write('/v1/units/xx-ny/findings', { category: 'implementation-ranking', kind: 'bottom-two', year: 2021, effectiveAt: '2022-01-15' });

    const standing = admonitionRequired(await verdict('g-known', '2022-01-31'));
    expect(standing).toEqual([
      expect.objectContaining({ ruleId: 'GZLS/5-B2', since: '2022-01-15', citation: { document: '市委健全工作落实制度意见', article: '三(五)结果运用机制', text: '对在年度落实情况考核排名中处于后两位的单位,要责成其向市委、市政府写出书面检查,并由市委组织部长对单位主要负责同志进行约谈;' } }),
    ]);
    await write('/v1/cadres/g-known/talks', { kind: 'reminder', reason: '提醒谈话', heldBy: 'organization-department-head', effectiveAt: '2022-02-01' });
    await write('/v1/cadres/g-known/talks', { kind: 'admonition', reason: '纪委约谈', heldBy: 'discipline-commission', effectiveAt: '2022-03-01' });
    expect(admonitionRequired(await verdict('g-known', '2022-03-31')).map((t) => t.until)).toEqual(['2023-01-15']);
    await write('/v1/cadres/g-known/talks', { kind: 'admonition', reason: '组织部长约谈', heldBy: 'organization-department-head', effectiveAt: '2022-04-01' });
    const answered = await verdict('g-known', '2022-04-01');
    expect(admonitionRequired(answered)).toEqual([]);
    expect(answered.notes).toEqual([]);

    await write('/v1/cadres/g-unknown/talks', { kind: 'admonition', reason: '约谈', effectiveAt: '2022-02-01' });
    const assumed = await verdict('g-unknown', '2022-02-01');
    expect(admonitionRequired(assumed)).toEqual([]);
    expect(assumed.notes).toEqual([{ kind: 'talk-holder-unknown', text: expect.stringContaining('GZLS/5-B2') }]);
    expect((await post(api, '/v1/cadres/g-unknown/talks', { kind: 'admonition', reason: '约谈', heldBy: 'mayor', effectiveAt: '2022-02-02' })).status).toBe(400);
  });

  it('4. and 5. a streak completed by a late review holds from that review\'s own date, with the qualities 第七条(一) asks beside it', async () => {
    await register('r-late', 'CN-SN', { managedBy: 'provincial' });
    await write('/v1/cadres/r-late/annual-reviews', { year: 2018, grade: 'excellent', effectiveAt: '2019-01-20' });
    await write('/v1/cadres/r-late/annual-reviews', { year: 2020, grade: 'excellent', effectiveAt: '2021-01-20' });
    const completing = await write('/v1/cadres/r-late/annual-reviews', { year: 2019, grade: 'excellent', effectiveAt: '2021-03-10' });
    const dayBefore = await verdict('r-late', '2021-03-09');
    expect([dayBefore.priorities, dayBefore.conditions]).toEqual([[], []]);
    const onTheDay = await verdict('r-late', '2021-03-10');
    expect(onTheDay.priorities).toEqual([
      expect.objectContaining({ ruleId: 'CN-SN/JL-7-1', kind: 'three-years-excellent', since: '2021-03-10', sourceEventId: completing, citation: expect.objectContaining({ article: '第七条(一)', text: '对……连续三年以上年度考核获得优秀等次的党政干部,优先提拔使用。' }) }),
    ]);
    expect(onTheDay.conditions).toEqual([
      expect.objectContaining({
        ruleId: 'CN-SN/JL-7-1-qualities',
        kind: 'qualities-to-confirm',
        since: '2021-03-10',
        sourceEventId: completing,
        citation: { document: '陕西省党政干部鼓励激励办法(试行)', article: '第七条(一)', text: '对信念过硬、政治过硬、责任过硬、能力过硬、作风过硬,敢于负责、勇于担当、善于作为、实绩突出,……的党政干部,优先提拔使用。' },
      }),
    ]);
    expect(onTheDay.notes).toEqual([]);
  });

  it('6. judges a party warning of 2023-12-31 by the 2018 条例 and one of 2024-01-01 by the 2023 条例, 第十条 quoted whole', async () => {
    await register('w-2023', 'CN');
    await write('/v1/cadres/w-2023/sanctions', { system: 'party', kind: 'warning', effectiveAt: '2023-12-31' });
    await write('/v1/cadres/w-2023/sanctions', { system: 'party', kind: 'serious-warning', measureTakenBy: 'county', effectiveAt: '2024-01-01' });
    const v = await verdict('w-2023', '2024-01-01');
    expect(v.locks.map((l) => [l.kind, l.from, l.until, l.citation.document, l.measureTakenBy])).toEqual([
      ['party-warning', '2023-12-31', '2024-12-31', '中国共产党纪律处分条例(2018)', undefined],
      ['party-serious-warning', '2024-01-01', '2025-07-01', '中国共产党纪律处分条例(2023)', 'county'],
    ]);
    expect(v.locks[1].citation).toEqual({
      document: '中国共产党纪律处分条例(2023)',
      article: '第十条',
      text: '党员受到警告处分一年内、受到严重警告处分一年半内，不得在党内提拔职务或者进一步使用，也不得向党外组织推荐担任高于其原任职务的党外职务或者进一步使用。',
    });
  });

  it('7. writes no-rule-for-date only where it could matter: a clean candidate\'s verdict and dossier carry no note; a fact that would still bar names its rule', async () => {
    await write('/v1/units', { unitId: 'sn-clean', name: '陕西省统计局', level: 'department', parentUnitId: 'sn', jurisdiction: 'CN-SN', effectiveAt: '2010-01-01' });
    await register('clean', 'CN-SN', { managedBy: 'provincial', unitId: 'sn-clean' });
    await write('/v1/units/sn-clean/assessments', { year: 2015, grade: 'good', effectiveAt: '2016-02-01' });
    await write('/v1/cadres/clean/commendations', { level: 'provincial', kind: 'merit-second-class', title: '先进个人', effectiveAt: '2017-06-01' });
    await write('/v1/cadres/clean/investigations', { caseId: 'jw-2018-1', effectiveAt: '2018-03-01' });
    await write('/v1/cadres/clean/investigations/jw-2018-1/closure', { effectiveAt: '2018-09-01' });
    const today = await verdict('clean');
    expect(today).toMatchObject({ promotable: true, locks: [], notes: [] });

    const dossier = await api
      .http()
      .post('/v1/nominations/dossier')
      .auth(await api.token(['organization'], ['sn-clean']), { type: 'bearer' })
      .send({ cadreIds: ['clean'], asOf: '2026-06-30', purpose: '换届考察' });
    expect(dossier.status).toBe(200);
    expect(dossier.body.candidates[0].verdict.notes).toEqual([]);
    const html = await api
      .http()
      .post('/v1/nominations/dossier')
      .auth(await api.token(['organization'], ['sn-clean']), { type: 'bearer' })
      .set('Accept', 'text/html')
      .send({ cadreIds: ['clean'], asOf: '2026-06-30', purpose: '换届考察' });
    expect(html.status).toBe(200);
    expect(html.text).not.toContain('说明(');

    // While the old facts could still have mattered, the note says which rule and what to check.
    const then = await verdict('clean', '2018-08-31');
    expect(then.notes).toEqual([
      { kind: 'no-rule-for-date', text: expect.stringMatching(/^CommendationIssued \S+ of 2017-06-01: no encoded rule was in force on its date\. Judged by CN-SN\/JL-7-4 .* check which text governed it on 2017-06-01/) },
      { kind: 'no-rule-for-date', text: expect.stringMatching(/^InvestigationOpened \S+ of 2018-03-01: .*Judged by CN\/ZWCF-52 \(中华人民共和国公职人员政务处分法 第五十二条, in force from 2020-07-01\) as if it had been, it would give an open-ended lock \(investigation\)/) },
    ]);
  });
});
