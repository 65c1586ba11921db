import { SignJWT, UnsecuredJWT } from 'jose';
import { secretKey } from '../../apps/api/src/auth/jwt';
import { TEST_SECRET, deputy, position, register, registration, startTestApi, type TestApi } from './support/test-api';

/**
 * The role table of API.md on every kind of route, for a token inside and outside the cadre's
 * unit: 403 when no role may, 404 outside `units` (existence is not leaked), the route's own
 * answer otherwise. Writes carry a future effectiveAt, so a permitted one ends in the domain's
 * 422 and nothing is ever appended by this file after its set-up.
 */
jest.setTimeout(120_000);

/** API.md's table, transcribed here rather than imported, so that a wrong table in the code fails. */
const ROLES = ['admin', 'organization', 'assessment', 'discipline', 'auditor', 'dashboard'] as const;
type WriteKind = 'cadres' | 'transfers' | 'annual-reviews' | 'unit-assessments' | 'commendations' | 'cautions' | 'talks' | 'sanctions' | 'investigations' | 'tolerance-cases' | 'adjustments' | 'promotions' | 'clearances' | 'retractions';
type ReadKind = 'cadres' | 'eligibility' | 'history' | 'verification' | 'stats' | 'units' | 'queues';
const MAY_WRITE: Record<string, WriteKind[]> = {
  organization: ['cadres', 'transfers', 'commendations', 'cautions', 'talks', 'adjustments', 'promotions', 'clearances', 'retractions'],
  assessment: ['annual-reviews', 'unit-assessments'],
  discipline: ['sanctions', 'investigations', 'cautions', 'talks', 'tolerance-cases', 'clearances'],
  auditor: [],
  dashboard: [],
};
/** Within `units`; the auditor reads every GET everywhere, the dashboard only stats. */
const MAY_READ: Record<string, ReadKind[]> = {
  // units: GET /v1/units, /v1/units/{id}; queues: GET /v1/locks, /v1/cases (API.md, "Who may call the additions").
  organization: ['cadres', 'eligibility', 'history', 'units', 'queues'],
  assessment: ['cadres', 'eligibility', 'units'],
  discipline: ['cadres', 'eligibility', 'history', 'units', 'queues'],
  dashboard: ['stats'],
};
const mayWrite = (role: string, kind: WriteKind) => role === 'admin' || MAY_WRITE[role].includes(kind);
const mayRead = (role: string, kind: ReadKind) => role === 'admin' || role === 'auditor' || (MAY_READ[role] ?? []).includes(kind);

const CADRE = 'a-001';
const IN = 'u-in';
const FUTURE = '2999-01-01';
const NO_SUCH_EVENT = '00000000-0000-4000-8000-000000000000';

const writes: { kind: WriteKind; path: string; body: object }[] = [
  { kind: 'cadres', path: '/v1/cadres', body: registration('a-new', IN, FUTURE) },
  { kind: 'transfers', path: `/v1/cadres/${CADRE}/transfers`, body: { unitId: IN, position, effectiveAt: FUTURE } },
  { kind: 'annual-reviews', path: `/v1/cadres/${CADRE}/annual-reviews`, body: { year: 2020, grade: 'competent', effectiveAt: FUTURE } },
  { kind: 'unit-assessments', path: `/v1/units/${IN}/assessments`, body: { year: 2020, grade: 'good', effectiveAt: FUTURE } },
  { kind: 'commendations', path: `/v1/cadres/${CADRE}/commendations`, body: { level: 'county', kind: 'citation', title: '嘉奖', effectiveAt: FUTURE } },
  { kind: 'cautions', path: `/v1/cadres/${CADRE}/cautions`, body: { reason: '诫勉', effectiveAt: FUTURE } },
  { kind: 'talks', path: `/v1/cadres/${CADRE}/talks`, body: { kind: 'admonition', reason: '约谈', effectiveAt: FUTURE } },
  { kind: 'sanctions', path: `/v1/cadres/${CADRE}/sanctions`, body: { system: 'administrative', kind: 'demerit', effectiveAt: FUTURE } },
  { kind: 'investigations', path: `/v1/cadres/${CADRE}/investigations`, body: { caseId: 'jw-9', effectiveAt: FUTURE } },
  { kind: 'tolerance-cases', path: `/v1/cadres/${CADRE}/tolerance-cases`, body: { caseId: 'rc-9', situation: 'SN-1', covers: [NO_SUCH_EVENT], initiatedBy: 'authority', effectiveAt: FUTURE } },
  { kind: 'adjustments', path: `/v1/cadres/${CADRE}/adjustments`, body: { kind: 'demotion', newPosition: deputy, effectiveAt: FUTURE } },
  { kind: 'promotions', path: `/v1/cadres/${CADRE}/promotions`, body: { newPosition: position, effectiveAt: FUTURE } },
  { kind: 'clearances', path: `/v1/cadres/${CADRE}/clearances`, body: { covers: [NO_SUCH_EVENT], finding: 'unfounded', effectiveAt: FUTURE } },
  { kind: 'retractions', path: `/v1/cadres/${CADRE}/retractions`, body: { eventId: NO_SUCH_EVENT, reason: '录入错误' } },
];

/** `scoped`: the route looks at a cadre, so a token outside its unit gets a 404. */
const reads: { kind: ReadKind; path: string; ok: number; scoped: boolean }[] = [
  { kind: 'cadres', path: `/v1/cadres/${CADRE}`, ok: 200, scoped: true },
  { kind: 'cadres', path: '/v1/cadres?q=a', ok: 200, scoped: false },
  { kind: 'eligibility', path: `/v1/cadres/${CADRE}/eligibility`, ok: 200, scoped: true },
  { kind: 'eligibility', path: '/v1/eligibility', ok: 200, scoped: false },
  { kind: 'history', path: `/v1/cadres/${CADRE}/history`, ok: 200, scoped: true },
  { kind: 'verification', path: `/v1/audit/verify?cadreId=${CADRE}`, ok: 200, scoped: true },
  { kind: 'verification', path: '/v1/audit/verify', ok: 200, scoped: false },
  { kind: 'stats', path: '/v1/stats?year=2021', ok: 200, scoped: false },
  { kind: 'units', path: '/v1/units', ok: 200, scoped: false },
  { kind: 'units', path: `/v1/units/${IN}`, ok: 200, scoped: true },
  { kind: 'queues', path: '/v1/cases', ok: 200, scoped: false },
  { kind: 'queues', path: '/v1/locks?endingWithin=30', ok: 200, scoped: false },
];

const scopes = { inside: [IN], outside: ['u-out'], every: ['*'] } as const;

describe('authorisation: the role table × unit scope', () => {
  let api: TestApi;
  let eventsAfterSetUp: number;

  beforeAll(async () => {
    api = await startTestApi('auth');
    const admin = await api.token(['admin'], ['*']);
    expect((await api.http().post('/v1/units').auth(admin, { type: 'bearer' }).send({ unitId: IN, name: '某县', level: 'county', jurisdiction: 'CN', effectiveAt: '2015-01-01' })).status).toBe(201);
    await register(api, CADRE, IN);
    await api.project();
    eventsAfterSetUp = await api.eventCount();
  });
  afterAll(async () => {
    await api?.close();
  });

  const writeCases = ROLES.flatMap((role) => Object.keys(scopes).flatMap((scope) => writes.map((w) => [role, scope, w.kind, w] as const)));
  it.each(writeCases)('%s with units %s writing %s', async (role, scope, _kind, route) => {
    const token = await api.token([role], [...scopes[scope as keyof typeof scopes]]);
    const res = await api.http().post(route.path).auth(token, { type: 'bearer' }).send(route.body);
    const permitted = mayWrite(role, route.kind);
    const expected = !permitted ? 403 : scope === 'outside' ? 404 : 422;
    expect({ status: res.status, detail: res.body.detail }).toMatchObject({ status: expected });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  const readCases = ROLES.flatMap((role) => Object.keys(scopes).flatMap((scope) => reads.map((r) => [role, scope, r.path, r] as const)));
  it.each(readCases)('%s with units %s reading %s', async (role, scope, _path, route) => {
    const token = await api.token([role], [...scopes[scope as keyof typeof scopes]]);
    const res = await api.http().get(route.path).auth(token, { type: 'bearer' });
    const unscoped = role === 'auditor' || (route.kind === 'stats' && role === 'dashboard');
    const permitted = mayRead(role, route.kind);
    const expected = !permitted ? 403 : route.scoped && scope === 'outside' && !unscoped ? 404 : route.ok;
    expect({ status: res.status, detail: res.body.detail }).toMatchObject({ status: expected });
  });

  it('verifies only the cadres a scoped caller may see', async () => {
    const admin = await api.token(['admin'], ['u-out']);
    const res = await api.http().get('/v1/audit/verify').auth(admin, { type: 'bearer' });
    expect(res.body).toEqual({ ok: true, checked: 0, streams: 0 });
  });

  it('combines roles: an organization token that is also auditor reads history outside its units', async () => {
    const token = await api.token(['organization', 'auditor'], ['u-out']);
    expect((await api.http().get(`/v1/cadres/${CADRE}/history`).auth(token, { type: 'bearer' })).status).toBe(200);
    const write = await api.http().post(`/v1/cadres/${CADRE}/cautions`).auth(token, { type: 'bearer' }).send({ reason: 'x', effectiveAt: FUTURE });
    expect(write.status).toBe(404);
  });

  it('appended nothing through all of it', async () => {
    expect(await api.eventCount()).toBe(eventsAfterSetUp);
  });

  describe('401', () => {
    const key = secretKey(TEST_SECRET);
    const claims = { roles: ['admin'], units: ['*'] };
    const path = `/v1/cadres/${CADRE}`;

    const tokens: [string, () => Promise<string | undefined>][] = [
      ['no token', async () => undefined],
      ['not a JWT', async () => 'not-a-token'],
      ['a bad signature', async () => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime('1h').sign(secretKey('another-secret-another-secret-xx'))],
      ['an expired token', async () => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime(Math.floor(Date.now() / 1000) - 60).sign(key)],
      ['alg none', async () => new UnsecuredJWT(claims).setSubject('x').setExpirationTime('1h').encode()],
      ['HS512 with the right secret', async () => new SignJWT(claims).setProtectedHeader({ alg: 'HS512' }).setSubject('x').setExpirationTime('1h').sign(key)],
      ['no exp', async () => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('x').sign(key)],
      ['no sub', async () => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(key)],
      ['roles not a list', async () => new SignJWT({ roles: 'admin', units: ['*'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime('1h').sign(key)],
      ['units missing', async () => new SignJWT({ roles: ['admin'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime('1h').sign(key)],
      ['exp in the year 9999', async () => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime(Date.UTC(9999, 0, 1) / 1000).sign(key)],
      ['a sub holding U+202E', async () => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('admin\u202enimda').setExpirationTime('1h').sign(key)],
    ];

    it.each(tokens)('%s', async (_name, make) => {
      const token = await make();
      const req = api.http().get(path);
      const res = await (token === undefined ? req : req.set('Authorization', `Bearer ${token}`));
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('a valid token passes (the control for the cases above)', async () => {
      const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('x').setExpirationTime('1h').sign(key);
      expect((await api.http().get(path).set('Authorization', `Bearer ${token}`)).status).toBe(200);
    });

    it('a write without a token is a 401 and appends nothing', async () => {
      const res = await api.http().post(`/v1/cadres/${CADRE}/cautions`).send({ reason: 'x', effectiveAt: '2020-01-01' });
      expect(res.status).toBe(401);
      expect(await api.eventCount()).toBe(eventsAfterSetUp);
    });
  });

  it('grants nothing for a role it does not know, and never answers a 500 for one', async () => {
    const key = secretKey(TEST_SECRET);
    const odd = await new SignJWT({ roles: ['constructor', 'discipline'], units: ['*'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('odd-roles').setExpirationTime('1h').sign(key);
    const plain = await api.token(['discipline']);
    const finding = { category: 'leadership-review', kind: 'low-satisfaction', effectiveAt: FUTURE };
    const asOdd = await api.http().post(`/v1/cadres/${CADRE}/findings`).auth(odd, { type: 'bearer' }).send(finding);
    const asPlain = await api.http().post(`/v1/cadres/${CADRE}/findings`).auth(plain, { type: 'bearer' }).send(finding);
    expect([asOdd.status, asOdd.body.code]).toEqual([asPlain.status, asPlain.body.code]);
    expect(asOdd.status).toBeLessThan(500);
    const constructorOnly = await new SignJWT({ roles: ['constructor'], units: ['*'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('odd-roles').setExpirationTime('1h').sign(key);
    expect((await api.http().get(`/v1/cadres/${CADRE}`).auth(constructorOnly, { type: 'bearer' })).status).toBe(403);
    expect(await api.eventCount()).toBe(eventsAfterSetUp);
  });

  it('sends nosniff and a Content-Security-Policy with every answer: the OpenAPI page, a problem, JSON', async () => {
    const page = await api.http().get('/docs');
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const answers = [page, await api.http().get('/docs/swagger-ui-init.js'), await api.http().get(`/v1/cadres/${CADRE}`), await api.http().get('/health')];
    for (const res of answers) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    }
    // The UI loads its own scripts from this server, never inline ones.
    expect(page.headers['content-security-policy']).toContain("script-src 'self';");
    expect(answers[2].headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('leaves health, metrics and the OpenAPI document open', async () => {
    expect((await api.http().get('/health')).status).toBe(200);
    expect((await api.http().get('/metrics')).status).toBe(200);
    expect((await api.http().get('/docs-json')).status).toBe(200);
  });
});
