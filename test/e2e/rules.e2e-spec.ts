import { post, startTestApi, type TestApi } from './support/test-api';

/**
 * The corrections of "Rules that say what the texts say", over HTTP: mitigation lighter only and
 * keeping its kind, the 陕西 能上能下办法 for 省管 cadres only, 张家界 措施11 on the 班子, 陕西
 * 第七条(四)'s fields, no anachronism, while-principal counting — each answer with its clause quoted.
 */
jest.setTimeout(60_000);

const chief = { title: '局长', level: 'county-chief', leadership: true, principal: true };
const deputy = { title: '副局长', level: 'county-deputy', leadership: true, principal: false };

describe('rules that say what the texts say, over HTTP', () => {
  let api: TestApi;
  let admin: string;
  beforeAll(async () => {
    api = await startTestApi('rules');
    admin = await api.token(['admin']);
  });
  afterAll(async () => {
    await api?.close();
  });

  const register = async (cadreId: string, jurisdiction: string, extra: Record<string, unknown> = {}, position: object = chief) => {
    const res = await post(api, '/v1/cadres', { cadreId, name: '赵文清', unitId: `u-${cadreId}`, jurisdiction, position, effectiveAt: '2004-03-01', ...extra });
    expect(res.status).toBe(201);
  };
  const write = async (cadreId: string, what: string, body: object) => {
    const res = await post(api, `/v1/cadres/${cadreId}/${what}`, body);
    if (res.status !== 201) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.eventId as string;
  };
  const verdict = async (cadreId: string, asOf: string) => {
    const res = await api.http().get(`/v1/cadres/${cadreId}/eligibility?asOf=${asOf}`).auth(admin, { type: 'bearer' });
    expect(res.status).toBe(200);
    return res.body as { locks: { ruleId: string; kind: string; until: string | null; citation: { text: string; article: string } }[]; conditions: { ruleId: string }[]; reviewTriggers: { ruleId: string; kind: string }[]; priorities: { ruleId: string }[]; notes: { kind: string; text: string }[] };
  };
  const openCase = async (cadreId: string, covers: string[], situation = 'SN-4') => {
    await write(cadreId, 'tolerance-cases', { caseId: 'rc-1', situation, covers, initiatedBy: 'applicant', effectiveAt: '2022-04-01' });
    await write(cadreId, 'tolerance-cases/rc-1/findings', { personalGain: false, knowingViolation: false, expresslyProhibited: false, summary: '核实', effectiveAt: '2022-04-10' });
  };

  it('refuses a caution "mitigated" to 开除党籍 or to a party warning (422, the scale named), and appends nothing', async () => {
    await register('m-1', 'CN-SN', { managedBy: 'provincial' });
    const caution = await write('m-1', 'cautions', { reason: '工作失误', effectiveAt: '2022-03-01' });
    await openCase('m-1', [caution]);
    for (const mitigatedTo of [{ system: 'party', kind: 'expulsion' }, { system: 'party', kind: 'warning' }]) {
      const before = await api.eventCount();
      const res = await post(api, '/v1/cadres/m-1/tolerance-cases/rc-1/decision', { outcome: 'mitigated', mitigatedTo, reason: '减责', effectiveAt: '2022-05-01' });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('mitigation-not-lighter');
      expect(res.body.detail).toContain('caution < organizational transfer-out');
      expect(await api.eventCount()).toBe(before);
    }
  });

  it('judges a 陕西 demotion mitigated to a transfer-out as a transfer-out: its lock, its posting, and nothing after (第九条(五))', async () => {
    await register('m-2', 'CN-SN', { managedBy: 'provincial' });
    const demotion = await write('m-2', 'adjustments', { kind: 'demotion', newPosition: deputy, effectiveAt: '2022-03-01' });
    await openCase('m-2', [demotion]);
    await write('m-2', 'tolerance-cases/rc-1/decision', { outcome: 'mitigated', mitigatedTo: { system: 'organizational', kind: 'transfer-out' }, reason: '减责', effectiveAt: '2022-05-01' });
    const during = await verdict('m-2', '2023-02-28');
    expect(during.locks.map((l) => [l.ruleId, l.kind, l.until])).toEqual([['CN-SN/NSX-16a', 'transfer-out', '2023-03-01']]);
    expect(during.locks[0].citation.text).toBe('因不适宜担任现职调离岗位、改任非领导职务、免职的,一年内不得提拔');
    const after = await verdict('m-2', '2023-03-01');
    expect(after.locks).toEqual([]);
    expect(after.conditions).toEqual([]); // no consultation-required, no impact-may-still-apply
    const profile = await api.http().get('/v1/cadres/m-2').auth(admin, { type: 'bearer' });
    expect(profile.body.position).toMatchObject({ title: '副局长', principal: false }); // the posting stands
  });

  it('applies the 能上能下办法 to 省管 cadres only: an 安康 市管 cadre gets the national lock, no consultation, and a note', async () => {
    await register('s-1', 'CN-SN-AK', { managedBy: 'municipal' });
    await write('s-1', 'adjustments', { kind: 'transfer-out', newPosition: deputy, effectiveAt: '2022-01-10' });
    const during = await verdict('s-1', '2022-06-01');
    expect(during.locks.map((l) => l.ruleId)).toEqual(['CN/RY-adjust']);
    expect(during.notes.map((n) => n.kind)).toEqual(['local-rules-not-held']);
    const after = await verdict('s-1', '2023-01-10');
    expect(after.conditions.map((c) => c.ruleId)).toEqual(['CN/RY-24-6']);
    // A promotion after the lock needs no consultationRef for a 市管 cadre.
    expect((await post(api, '/v1/cadres/s-1/promotions', { newPosition: chief, effectiveAt: '2023-02-01' })).status).toBe(201);
  });

  it('says when managedBy was assumed', async () => {
    await register('s-2', 'CN-SN');
    await write('s-2', 'adjustments', { kind: 'demotion', newPosition: deputy, effectiveAt: '2022-01-10' });
    const v = await verdict('s-2', '2022-06-01');
    expect(v.locks.map((l) => l.ruleId)).toEqual(['CN-SN/NSX-16b']);
    expect(v.notes).toEqual([{ kind: 'managed-by-assumed', text: expect.stringContaining('CN-SN/NSX-16b') }]);
  });

  it('reads 张家界 措施11 on the 班子: a deputy\'s own two 不称职 years ask for a 约谈提醒, never the principal\'s 诫勉谈话', async () => {
    await register('z-1', 'CN-HN-ZJJ', {}, deputy);
    await write('z-1', 'annual-reviews', { year: 2022, grade: 'incompetent', effectiveAt: '2023-01-10' });
    await write('z-1', 'annual-reviews', { year: 2023, grade: 'incompetent', effectiveAt: '2024-01-10' });
    const v = await verdict('z-1', '2024-01-10');
    const zjj = v.reviewTriggers.filter((t) => t.ruleId.startsWith('CN-HN-ZJJ'));
    expect(zjj.map((t) => t.kind)).toEqual(['reminder-talk-required']);
  });

  it('gives 第七条(四)\'s priority to a 省委、省政府 表彰 in its fields, not to a provincial department\'s 通报表扬', async () => {
    await register('c-1', 'CN-SN', { managedBy: 'provincial' });
    await write('c-1', 'commendations', { level: 'provincial', kind: 'public-praise', title: '省厅通报表扬', field: 'safety', awardedBy: 'other', effectiveAt: '2022-02-01' });
    expect((await verdict('c-1', '2022-03-01')).priorities).toEqual([]);
    await write('c-1', 'commendations', { level: 'provincial', kind: 'honour-title', title: '安全生产先进个人', field: 'safety', awardedBy: 'provincial-committee-or-government', effectiveAt: '2022-04-01' });
    expect((await verdict('c-1', '2022-05-01')).priorities.map((p) => p.ruleId)).toEqual(['CN-SN/JL-7-4']);
  });

  it('judges a fact only by a text in force on its date: 2010 by the 2007 处分条例, 2005 by nothing (no-rule-for-date)', async () => {
    await register('d-1', 'CN');
    await write('d-1', 'sanctions', { system: 'administrative', kind: 'warning', effectiveAt: '2010-05-01' });
    const v2010 = await verdict('d-1', '2010-06-01');
    expect(v2010.locks.map((l) => [l.ruleId, l.until])).toEqual([['CN/ZWCF-8-warning', '2010-11-01']]);
    expect(v2010.locks[0].citation.article).toBe('第七条');
    await register('d-2', 'CN');
    await write('d-2', 'sanctions', { system: 'administrative', kind: 'warning', effectiveAt: '2005-05-01' });
    const v2005 = await verdict('d-2', '2005-06-01');
    expect(v2005.locks).toEqual([]);
    expect(v2005.notes).toEqual([{ kind: 'no-rule-for-date', text: expect.stringContaining('2005-05-01') }]);
  });

  it('counts the 工作落实 admonitions only while the cadre is a unit\'s principal', async () => {
    await register('g-1', 'CN-XX', {}, deputy);
    await write('g-1', 'talks', { kind: 'admonition', reason: '作为副职被约谈', effectiveAt: '2020-03-01' });
    await write('g-1', 'promotions', { newPosition: chief, effectiveAt: '2020-06-01' });
    await write('g-1', 'talks', { kind: 'admonition', reason: '约谈', effectiveAt: '2020-09-01' });
    expect((await verdict('g-1', '2020-09-01')).reviewTriggers).toEqual([]);
    await write('g-1', 'talks', { kind: 'admonition', reason: '再次约谈', effectiveAt: '2021-03-02' });
    expect((await verdict('g-1', '2021-03-02')).reviewTriggers.map((t) => t.ruleId)).toEqual(['GZLS/5-1']);
  });
});
