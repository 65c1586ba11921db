import fc from 'fast-check';
import { deputy, position, post, register, registration, startTestApi, type TestApi } from './support/test-api';

/**
 * STYLE.md: "no input makes the API answer 500". Generated bodies (valid ones bent one member at a
 * time, arbitrary JSON, hostile keys and text) go to every write route; each answer must be below
 * 500, a refusal must be a problem document, and exactly a 201 appends exactly one event.
 */
jest.setTimeout(300_000);

const C = 'f-001';

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('', ' ', '2020-01-01', '2999-01-01', '2021-02-30', 'SN-3', 'demotion', 'party', 'warning', 'excellent', '陕办发〔2018〕24号', '__proto__', 'x'.repeat(3000)),
);
const key = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'effectiveAt', 'note', 'documentRef', 'toString'));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('any'), { maxLength: 3 }),
    fc.dictionary(key, tie('any'), { maxKeys: 3 }),
  ),
})).any;

interface WriteRoute {
  path: string;
  body: Record<string, unknown>;
}

function mutations(route: WriteRoute): fc.Arbitrary<unknown> {
  const members = Object.keys(route.body);
  return fc.oneof(
    fc.constant(route.body),
    fc.tuple(fc.constantFrom(...members), value).map(([member, v]) => ({ ...route.body, [member]: v })),
    fc.constantFrom(...members).map((member) => Object.fromEntries(Object.entries(route.body).filter(([k]) => k !== member))),
    fc.tuple(key, value).map(([k, v]) => JSON.parse(JSON.stringify({ ...route.body, [k]: v })) as unknown),
    fc.tuple(fc.constantFrom(...members), fc.constantFrom(...members), value).map(([a, b, v]) => ({ ...route.body, [a]: v, [b]: v })),
    value,
  );
}

describe('no generated body makes a write route answer 5xx or append when refused', () => {
  let api: TestApi;
  let routes: WriteRoute[];

  beforeAll(async () => {
    api = await startTestApi('no5xx');
    await register(api, C);
    const caution = (await post(api, `/v1/cadres/${C}/cautions`, { reason: '决策失误', effectiveAt: '2019-05-01' })).body.eventId as string;
    await post(api, `/v1/cadres/${C}/investigations`, { caseId: 'jw-1', effectiveAt: '2019-05-02' });
    await post(api, `/v1/cadres/${C}/tolerance-cases`, { caseId: 'rc-1', situation: 'SN-3', covers: [caution], initiatedBy: 'applicant', effectiveAt: '2019-06-01' });
    const cadre = (s: string) => `/v1/cadres/${C}/${s}`;
    routes = [
      { path: '/v1/cadres', body: registration('f-002') },
      { path: cadre('transfers'), body: { unitId: 'sx-jyt', position, effectiveAt: '2020-01-01' } },
      { path: cadre('annual-reviews'), body: { year: 2020, grade: 'competent', unfavourableVoteShare: 0.1, effectiveAt: '2021-01-10' } },
      { path: '/v1/units/sx-fgw/assessments', body: { year: 2020, grade: 'average', effectiveAt: '2021-01-10' } },
      { path: cadre('commendations'), body: { level: 'county', kind: 'citation', title: '嘉奖', effectiveAt: '2020-01-01' } },
      { path: cadre('cautions'), body: { reason: '诫勉', effectiveAt: '2020-01-01', note: '备注', documentRef: '文号' } },
      { path: cadre('talks'), body: { kind: 'admonition', reason: '约谈', effectiveAt: '2020-01-01' } },
      { path: cadre('sanctions'), body: { system: 'party', kind: 'probation', probationMonths: 12, effectiveAt: '2020-01-01' } },
      { path: cadre('investigations'), body: { caseId: 'jw-2', effectiveAt: '2020-01-01' } },
      { path: cadre('investigations/jw-1/closure'), body: { effectiveAt: '2020-01-01' } },
      { path: cadre('tolerance-cases'), body: { caseId: 'rc-2', situation: 'SN-1', covers: [caution], initiatedBy: 'authority', effectiveAt: '2020-01-01' } },
      { path: cadre('tolerance-cases/rc-1/findings'), body: { personalGain: false, knowingViolation: false, expresslyProhibited: false, summary: '核实', effectiveAt: '2019-07-01' } },
      { path: cadre('tolerance-cases/rc-1/decision'), body: { outcome: 'mitigated', mitigatedTo: { system: 'party', kind: 'warning' }, reason: '从轻', effectiveAt: '2019-08-01' } },
      { path: cadre('tolerance-cases/rc-1/notification'), body: { disclosed: false, effectiveAt: '2019-09-01' } },
      { path: cadre('tolerance-cases/rc-1/filing'), body: { filedWith: ['organization-department'], effectiveAt: '2019-10-01' } },
      { path: cadre('adjustments'), body: { kind: 'non-leadership', newPosition: { ...deputy, leadership: false }, trigger: 'annual-review', effectiveAt: '2020-01-01' } },
      { path: cadre('promotions'), body: { newPosition: position, consultationRef: '征求意见', effectiveAt: '2020-01-01' } },
      { path: cadre('clearances'), body: { covers: [caution], finding: 'false-accusation', effectiveAt: '2020-01-01' } },
      { path: cadre('retractions'), body: { eventId: caution, reason: '录入错误' } },
    ];
  });
  afterAll(async () => {
    await api?.close();
  });

  it('holds for generated bodies on every route', async () => {
    const admin = await api.token(['admin']);
    const seen = new Set<number>();
    const arbitrary = fc.integer({ min: 0, max: routes.length - 1 }).chain((i) => fc.tuple(fc.constant(routes[i]), mutations(routes[i])));
    await fc.assert(
      fc.asyncProperty(arbitrary, async ([route, body]) => {
        const before = await api.eventCount();
        const res = await api.http().post(route.path).auth(admin, { type: 'bearer' }).set('Content-Type', 'application/json').send(JSON.stringify(body));
        const after = await api.eventCount();
        seen.add(res.status);
        expect(res.status).toBeLessThan(500);
        if (res.status === 201) {
          expect(after).toBe(before + 1);
        } else {
          expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(after).toBe(before);
        }
      }),
      { numRuns: 400 },
    );
    // The runs reached both sides: appends, the validation's 400 and the domain's refusals.
    expect([...seen]).toEqual(expect.arrayContaining([201, 400]));
    expect([...seen].some((status) => status === 409 || status === 422)).toBe(true);
    // Nothing generated reached the prototype of plain objects.
    expect(({} as Record<string, unknown>).effectiveAt).toBeUndefined();
  });
});

/**
 * Every parameter and header the API reads, fuzzed with what broke it before: NUL and control
 * characters, lone surrogates, deep nesting, bytes that are not UTF-8, a Content-Encoding the
 * body does not have. Every answer is below 500 and a refusal is a problem document.
 */
describe('no generated parameter, header or raw body makes the API answer 5xx', () => {
  let api: TestApi;
  let admin: string;
  const hostile = fc.oneof(
    text,
    fc.constantFrom('\u0000', 'a\u0000b', '\u001b[2J', '\u202e', '\ud800', '%00', '%ZZ', '..', '/', '?', '#', ' ', '\t', '9'.repeat(400), '-1', '0', '1e309', 'null', '[]', '{}'),
    fc.string({ unit: 'grapheme-ascii', maxLength: 30 }),
  );
  /** Each UTF-8 byte as %XX (encodeURIComponent throws on a lone surrogate; a client may send its replacement). */
  const percentEncoded = (v: string) => [...Buffer.from(v, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  beforeAll(async () => {
    api = await startTestApi('no5xx-params');
    await register(api, C);
    admin = await api.token(['admin']);
  });
  afterAll(async () => {
    await api?.close();
  });

  const expectProblemBelow500 = (res: { status: number; headers: Record<string, string> }) => {
    expect(res.status).toBeLessThan(500);
    if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  };

  it('holds for query parameters and path ids of every read route', async () => {
    const routes = (id: string) => [
      { path: `/v1/cadres/${id}`, params: [] },
      { path: `/v1/cadres/${id}/eligibility`, params: ['asOf', 'knownAt'] },
      { path: `/v1/cadres/${id}/history`, params: ['knownAt', 'limit', 'cursor'] },
      { path: '/v1/eligibility', params: ['unitId', 'promotable', 'cursor', 'limit'] },
      { path: '/v1/stats', params: ['year', 'unitId'] },
      { path: '/v1/audit/verify', params: ['cadreId'] },
      { path: '/v1/units', params: ['parentUnitId', 'q', 'cursor', 'limit'] },
      { path: `/v1/units/${id}`, params: [] },
      { path: '/v1/cases', params: ['kind', 'step', 'unitId', 'cursor', 'limit'] },
      { path: '/v1/locks', params: ['unitId', 'endingWithin', 'cursor', 'limit'] },
      { path: '/v1/cadres', params: ['unitId', 'q', 'level', 'managedBy', 'cursor', 'limit'] },
    ];
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constant(C), hostile.map(percentEncoded), fc.constantFrom('%00', '%ZZ', '%ff', '%c0%80', '%ed%a0%80')), fc.nat({ max: 10 }), fc.dictionary(fc.constantFrom('asOf', 'knownAt', 'unitId', 'promotable', 'cursor', 'limit', 'year', 'cadreId', 'parentUnitId', 'q', 'kind', 'step', 'endingWithin', 'level', 'managedBy'), hostile, { maxKeys: 3 }), async (id, which, query) => {
        const route = routes(id)[which];
        const search = new URLSearchParams(query).toString();
        const res = await api.http().get(`${route.path}${search ? `?${search}` : ''}`).auth(admin, { type: 'bearer' });
        expectProblemBelow500(res);
      }),
      { numRuns: 300 },
    );
  });

  it('holds for the headers it reads: Authorization, If-Match, Idempotency-Key, Content-Type, Content-Encoding, X-Request-Id', async () => {
    const headerValue = hostile.map((v) => v.replace(/[^\t\x20-\x7e\x80-\xff]/g, '')); // what an HTTP client can put on the wire
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            authorization: fc.oneof(fc.constant(`Bearer ${admin}`), headerValue.map((v) => `Bearer ${v}`), headerValue),
            'if-match': headerValue,
            'idempotency-key': headerValue,
            'content-type': fc.oneof(fc.constant('application/json'), headerValue),
            'content-encoding': fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown'),
            'x-request-id': headerValue,
          },
          { requiredKeys: ['authorization'] },
        ),
        async (headers) => {
          let req = api.http().post(`/v1/cadres/${C}/talks`);
          for (const [name, v] of Object.entries(headers)) req = req.set(name, v);
          const res = await req.send(JSON.stringify({ kind: 'reminder', reason: '谈话', effectiveAt: '2020-01-01' }));
          expectProblemBelow500(res);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('holds for raw bodies: deep nesting, bytes that are not UTF-8, NUL and control characters', async () => {
    const raw = fc.oneof(
      fc.integer({ min: 1, max: 5000 }).map((d) => Buffer.from(nested(d))),
      fc.integer({ min: 1, max: 3000 }).map((d) => Buffer.from(`${'{"a":'.repeat(d)}1${'}'.repeat(d)}`)),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
      hostile.map((v) => Buffer.from(JSON.stringify({ kind: 'reminder', reason: v, effectiveAt: '2020-01-01' }))),
      fc.constantFrom(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), Buffer.from('{"reason":"\\u0000"}'), Buffer.from('{"__proto__":{"x":1}}')),
    );
    await fc.assert(
      fc.asyncProperty(raw, fc.boolean(), async (body, gzipHeader) => {
        const before = await api.eventCount();
        let req = api.http().post(`/v1/cadres/${C}/talks`).auth(admin, { type: 'bearer' }).set('Content-Type', 'application/json');
        if (gzipHeader) req = req.set('Content-Encoding', 'gzip');
        // As bytes on the wire: superagent would JSON-encode a Buffer sent as application/json.
        const res = await req.serialize((raw: unknown) => raw as string).send(body as unknown as string);
        expectProblemBelow500(res);
        if (res.status !== 201) expect(await api.eventCount()).toBe(before);
      }),
      { numRuns: 200 },
    );
  });
});
