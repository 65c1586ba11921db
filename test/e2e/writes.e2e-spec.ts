import { deputy, position, post, registration, startTestApi, type TestApi } from './support/test-api';

/**
 * Every write endpoint of API.md succeeds once, and is refused for each class of bad input
 * (missing field, wrong type, unknown enum, unknown field, future date, bad id) without appending.
 * The routes run in order on one cadre, each refusal just before the success it would have been.
 */
jest.setTimeout(120_000);

const C = 'w-001';
const FUTURE = '2999-01-01';

interface Ids {
  [name: string]: string;
}

interface Route {
  name: string;
  path: (ids: Ids) => string;
  body: (ids: Ids) => Record<string, unknown>;
  /** A mutation that makes one field the wrong type. */
  wrongType: (body: Record<string, unknown>) => Record<string, unknown>;
  /** A mutation that puts an unknown value in an enumerated field, when the route has one. */
  unknownEnum?: (body: Record<string, unknown>) => Record<string, unknown>;
  /** The path with a malformed id, or a body with one. */
  badId: (ids: Ids) => { path: string; body?: Record<string, unknown> };
  required: string;
  eventType: string;
  /** Remember the new event's id under this name. */
  remember?: string;
  noEffectiveAt?: boolean;
}

const cadre = (suffix: string) => () => `/v1/cadres/${C}/${suffix}`;
const badCadre = (suffix: string) => () => ({ path: `/v1/cadres/bad!id/${suffix}` });
const set = (path: string, value: unknown) => (body: Record<string, unknown>) => {
  const copy = structuredClone(body);
  const parts = path.split('.');
  let target = copy as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) target = target[part] as Record<string, unknown>;
  target[parts[parts.length - 1]] = value;
  return copy;
};

const routes: Route[] = [
  {
    name: 'register',
    path: () => '/v1/cadres',
    body: () => registration(C),
    wrongType: set('position.leadership', 'yes'),
    unknownEnum: set('position.level', 'mayor'),
    badId: () => ({ path: '/v1/cadres', body: { ...registration(C), cadreId: 'bad id' } }),
    required: 'name',
    eventType: 'CadreRegistered',
  },
  {
    name: 'promotion',
    path: cadre('promotions'),
    body: () => ({ newPosition: { ...position, level: 'bureau-deputy' }, effectiveAt: '2016-01-01' }),
    wrongType: set('consultationRef', 5),
    unknownEnum: set('newPosition.level', 'emperor'),
    badId: badCadre('promotions'),
    required: 'newPosition',
    eventType: 'CadrePromoted',
  },
  {
    name: 'transfer',
    path: cadre('transfers'),
    body: () => ({ unitId: 'sx-fgw', position, effectiveAt: '2016-06-01', documentRef: '陕组任〔2016〕3号', note: '交流' }),
    wrongType: set('unitId', 7),
    unknownEnum: set('position.level', 'village'),
    badId: badCadre('transfers'),
    required: 'position',
    eventType: 'CadreTransferred',
  },
  {
    name: 'annual review',
    path: cadre('annual-reviews'),
    body: () => ({ year: 2016, grade: 'excellent', unfavourableVoteShare: 0.05, effectiveAt: '2017-01-20' }),
    wrongType: set('year', '2016'),
    unknownEnum: set('grade', 'outstanding'),
    badId: badCadre('annual-reviews'),
    required: 'grade',
    eventType: 'AnnualReviewRecorded',
  },
  {
    name: 'commendation',
    path: cadre('commendations'),
    body: () => ({ level: 'provincial', kind: 'citation', title: '先进个人', effectiveAt: '2017-05-01' }),
    wrongType: set('title', 3),
    unknownEnum: set('kind', 'medal'),
    badId: badCadre('commendations'),
    required: 'kind',
    eventType: 'CommendationIssued',
    remember: 'commendation',
  },
  {
    name: 'caution',
    path: cadre('cautions'),
    body: () => ({ reason: '履职不力', effectiveAt: '2018-01-01' }),
    wrongType: set('reason', true),
    badId: badCadre('cautions'),
    required: 'reason',
    eventType: 'CautionIssued',
    remember: 'caution',
  },
  {
    name: 'talk',
    path: cadre('talks'),
    body: () => ({ kind: 'reminder', reason: '苗头性问题', effectiveAt: '2018-02-01' }),
    wrongType: set('reason', ['x']),
    unknownEnum: set('kind', 'letter'),
    badId: badCadre('talks'),
    required: 'kind',
    eventType: 'TalkHeld',
  },
  {
    name: 'sanction',
    path: cadre('sanctions'),
    body: () => ({ system: 'party', kind: 'warning', effectiveAt: '2018-03-01' }),
    wrongType: set('probationMonths', '12'),
    unknownEnum: set('system', 'military'),
    badId: badCadre('sanctions'),
    required: 'system',
    eventType: 'SanctionImposed',
    remember: 'sanction',
  },
  {
    name: 'investigation',
    path: cadre('investigations'),
    body: () => ({ caseId: 'jw-1', effectiveAt: '2018-04-01' }),
    wrongType: set('caseId', 5),
    badId: () => ({ path: `/v1/cadres/${C}/investigations`, body: { caseId: '-starts-with-dash', effectiveAt: '2018-04-01' } }),
    required: 'caseId',
    eventType: 'InvestigationOpened',
  },
  {
    name: 'investigation closure',
    path: cadre('investigations/jw-1/closure'),
    body: () => ({ effectiveAt: '2018-06-01' }),
    wrongType: set('effectiveAt', 20180601),
    badId: () => ({ path: `/v1/cadres/${C}/investigations/bad!case/closure` }),
    required: 'effectiveAt',
    eventType: 'InvestigationClosed',
  },
  {
    name: 'tolerance request',
    path: cadre('tolerance-cases'),
    body: (ids) => ({ caseId: 'rc-1', situation: 'SN-3', covers: [ids.caution], initiatedBy: 'applicant', effectiveAt: '2018-11-01' }),
    wrongType: set('covers', 'not-a-list'),
    unknownEnum: set('initiatedBy', 'nobody'),
    badId: (ids) => ({ path: `/v1/cadres/${C}/tolerance-cases`, body: { caseId: 'bad id', situation: 'SN-3', covers: [ids.caution], initiatedBy: 'applicant', effectiveAt: '2018-11-01' } }),
    required: 'situation',
    eventType: 'ToleranceRequested',
  },
  {
    name: 'tolerance findings',
    path: cadre('tolerance-cases/rc-1/findings'),
    body: () => ({ personalGain: false, knowingViolation: false, expresslyProhibited: false, summary: '出于公心', effectiveAt: '2018-11-10' }),
    wrongType: set('personalGain', 'no'),
    badId: () => ({ path: `/v1/cadres/${C}/tolerance-cases/bad!case/findings` }),
    required: 'knowingViolation',
    eventType: 'ToleranceInvestigated',
  },
  {
    name: 'tolerance decision',
    path: cadre('tolerance-cases/rc-1/decision'),
    body: () => ({ outcome: 'exempted', reason: '符合容错情形', effectiveAt: '2018-11-20' }),
    wrongType: set('mitigatedTo', 'party-warning'),
    unknownEnum: set('outcome', 'pardoned'),
    badId: () => ({ path: `/v1/cadres/${C}/tolerance-cases/bad!case/decision` }),
    required: 'outcome',
    eventType: 'ToleranceDecided',
  },
  {
    name: 'tolerance notification',
    path: cadre('tolerance-cases/rc-1/notification'),
    body: () => ({ disclosed: true, effectiveAt: '2018-12-01' }),
    wrongType: set('disclosed', 1),
    badId: () => ({ path: `/v1/cadres/${C}/tolerance-cases/bad!case/notification` }),
    required: 'disclosed',
    eventType: 'ToleranceNotified',
  },
  {
    name: 'tolerance filing',
    path: cadre('tolerance-cases/rc-1/filing'),
    body: () => ({ filedWith: ['discipline-commission', 'organization-department'], effectiveAt: '2018-12-10' }),
    wrongType: set('filedWith', 'discipline-commission'),
    unknownEnum: set('filedWith', ['court']),
    badId: () => ({ path: `/v1/cadres/${C}/tolerance-cases/bad!case/filing` }),
    required: 'filedWith',
    eventType: 'ToleranceFiled',
  },
  {
    name: 'clearance',
    path: cadre('clearances'),
    body: (ids) => ({ covers: [ids.sanction], finding: 'unfounded', effectiveAt: '2019-01-01' }),
    wrongType: set('covers', [1]),
    unknownEnum: set('finding', 'maybe'),
    badId: badCadre('clearances'),
    required: 'finding',
    eventType: 'AllegationCleared',
  },
  {
    name: 'adjustment',
    path: cadre('adjustments'),
    body: () => ({ kind: 'demotion', newPosition: deputy, trigger: 'annual-review', effectiveAt: '2019-03-15' }),
    wrongType: set('newPosition', 'deputy'),
    unknownEnum: set('kind', 'exile'),
    badId: badCadre('adjustments'),
    required: 'kind',
    eventType: 'CadreAdjusted',
  },
  {
    name: 'retraction',
    path: cadre('retractions'),
    body: (ids) => ({ eventId: ids.commendation, reason: '录入错误' }),
    wrongType: set('reason', 5),
    badId: badCadre('retractions'),
    required: 'reason',
    eventType: 'EntryRetracted',
    noEffectiveAt: true,
  },
  {
    name: 'unit assessment',
    path: () => '/v1/units/sx-fgw/assessments',
    body: () => ({ year: 2019, grade: 'good', effectiveAt: '2020-01-10' }),
    wrongType: set('year', 2019.5),
    unknownEnum: set('grade', 'superb'),
    badId: () => ({ path: '/v1/units/sx%20fgw/assessments' }),
    required: 'grade',
    eventType: 'UnitAssessmentRecorded',
  },
];

describe('every write endpoint', () => {
  let api: TestApi;
  const ids: Ids = {};

  beforeAll(async () => {
    api = await startTestApi('writes');
  });
  afterAll(async () => {
    await api?.close();
  });

  /** Sends a refused request and proves it appended nothing. */
  async function refused(path: string, body: unknown, status: number) {
    const before = await api.eventCount();
    const res = await post(api, path, body);
    expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { status } });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await api.eventCount()).toBe(before);
    return res;
  }

  describe.each(routes.map((r) => [r.name, r] as const))('%s', (_name, route) => {
    it('refuses a missing field with 400 and errors naming it', async () => {
      const body = route.body(ids);
      delete body[route.required];
      const res = await refused(route.path(ids), body, 400);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: route.required })]));
    });

    it('refuses a wrong type with 400', async () => {
      await refused(route.path(ids), route.wrongType(route.body(ids)), 400);
    });

    it('refuses an unknown enum value with 400 (where the route has one)', async () => {
      if (!route.unknownEnum) return expect(route.name).toMatch(/caution|investigation|findings|notification|retraction/);
      await refused(route.path(ids), route.unknownEnum(route.body(ids)), 400);
    });

    it('refuses an unknown field with 400', async () => {
      const res = await refused(route.path(ids), { ...route.body(ids), approvedBy: '某某' }, 400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'approvedBy' })]);
    });

    it('refuses a malformed id with 400', async () => {
      const bad = route.badId(ids);
      await refused(bad.path, bad.body ?? route.body(ids), 400);
    });

    it('refuses an effectiveAt later than today with 422 (the domain\'s rule)', async () => {
      if (route.noEffectiveAt) {
        // A retraction has no effectiveAt: sending one is an unknown field.
        return void (await refused(route.path(ids), { ...route.body(ids), effectiveAt: '2019-01-01' }, 400));
      }
      const res = await refused(route.path(ids), { ...route.body(ids), effectiveAt: FUTURE }, 422);
      expect(res.body.code).toBe('effective-date-in-future');
    });

    it('succeeds once with 201, the event and an ETag', async () => {
      const before = await api.eventCount();
      const res = await post(api, route.path(ids), route.body(ids));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ eventId: expect.any(String), type: route.eventType, revision: expect.any(Number), recordedAt: expect.any(String) });
      expect(res.body.effectiveAt).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(res.body[route.name === 'unit assessment' ? 'unitId' : 'cadreId']).toBe(route.name === 'unit assessment' ? 'sx-fgw' : C);
      expect(res.headers.etag).toBe(`"${res.body.revision}"`);
      expect(await api.eventCount()).toBe(before + 1);
      if (route.remember) ids[route.remember] = res.body.eventId;
    });
  });

  it('stored the actor and documentRef on the events', async () => {
    const auditor = await api.token(['auditor']);
    const res = await api.http().get(`/v1/cadres/${C}/history`).auth(auditor, { type: 'bearer' });
    expect(res.status).toBe(200);
    expect(res.body.events).toHaveLength(routes.length - 1);
    expect(res.body.events.every((e: { actor: string }) => e.actor === 'e2e-admin')).toBe(true);
    expect(res.body.events[2]).toMatchObject({ type: 'CadreTransferred', documentRef: '陕组任〔2016〕3号', data: { note: '交流' } });
  });
});
