import { tamperWithStoredEvent } from '../support/test-database';
import { deputy, position, post, register, registration, startTestApi, type TestApi } from './support/test-api';

/** Headers, refusals and reads of API.md beyond single writes: idempotency, If-Match, the domain's statuses, time travel, audit. */
jest.setTimeout(120_000);

describe('the HTTP protocol of API.md', () => {
  let api: TestApi;
  let admin: string;

  beforeAll(async () => {
    api = await startTestApi('protocol');
    admin = await api.token(['admin']);
  });
  afterAll(async () => {
    await api?.close();
  });

  const get = (path: string, token = admin) => api.http().get(path).auth(token, { type: 'bearer' });

  describe('Idempotency-Key', () => {
    it('answers the first response again and appends nothing for the same key and body', async () => {
      await register(api, 'i-001');
      const body = { reason: '履职不力', effectiveAt: '2020-01-01' };
      const first = await post(api, '/v1/cadres/i-001/cautions', body, { 'Idempotency-Key': 'k-1' });
      expect(first.status).toBe(201);
      const count = await api.eventCount();
      const again = await post(api, '/v1/cadres/i-001/cautions', body, { 'Idempotency-Key': 'k-1' });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(await api.eventCount()).toBe(count);
    });

    it('refuses the same key with another body with 409, appending nothing', async () => {
      const count = await api.eventCount();
      const res = await post(api, '/v1/cadres/i-001/cautions', { reason: '另一件事', effectiveAt: '2020-01-01' }, { 'Idempotency-Key': 'k-1' });
      expect(res.status).toBe(409);
      expect(res.body.type).toMatch(/idempotency-key-reused/);
      expect(await api.eventCount()).toBe(count);
    });

    it('keeps keys per caller: another sub may use the same key', async () => {
      const other = await api.token(['admin'], ['*'], 'someone-else');
      const res = await api.http().post('/v1/cadres/i-001/cautions').auth(other, { type: 'bearer' }).set('Idempotency-Key', 'k-1').send({ reason: '另一件事', effectiveAt: '2020-01-01' });
      expect(res.status).toBe(201);
    });

    it('frees the key of a refused request for the corrected retry', async () => {
      const refused = await post(api, '/v1/cadres/i-001/cautions', { reason: 'x', effectiveAt: '2999-01-01' }, { 'Idempotency-Key': 'k-2' });
      expect(refused.status).toBe(422);
      const corrected = await post(api, '/v1/cadres/i-001/cautions', { reason: 'x', effectiveAt: '2020-02-01' }, { 'Idempotency-Key': 'k-2' });
      expect(corrected.status).toBe(201);
    });

    it('serves two simultaneous requests with one key once: one append, the other replayed or told to retry', async () => {
      const count = await api.eventCount();
      const body = { reason: '同时', effectiveAt: '2020-03-01' };
      const answers = await Promise.all([1, 2, 3].map(() => post(api, '/v1/cadres/i-001/cautions', body, { 'Idempotency-Key': 'k-race' })));
      expect(answers.filter((a) => a.status === 201).length).toBeGreaterThanOrEqual(1);
      expect(answers.every((a) => a.status === 201 || (a.status === 409 && /in-progress/.test(a.body.type)))).toBe(true);
      expect(await api.eventCount()).toBe(count + 1);
    });

    it('refuses a malformed key with 400', async () => {
      const res = await post(api, '/v1/cadres/i-001/cautions', { reason: 'x', effectiveAt: '2020-02-01' }, { 'Idempotency-Key': 'x'.repeat(300) });
      expect(res.status).toBe(400);
    });
  });

  describe('If-Match and ETag', () => {
    it('appends when the revision matches, answers 412 and appends nothing when it does not', async () => {
      const registered = await register(api, 'm-001');
      const profile = await get('/v1/cadres/m-001');
      expect(profile.headers.etag).toBe(`"${registered.revision}"`);
      const ok = await post(api, '/v1/cadres/m-001/talks', { kind: 'reminder', reason: '提醒', effectiveAt: '2020-01-01' }, { 'If-Match': profile.headers.etag });
      expect(ok.status).toBe(201);
      expect(ok.headers.etag).toBe('"1"');
      const count = await api.eventCount();
      const stale = await post(api, '/v1/cadres/m-001/talks', { kind: 'reminder', reason: '提醒', effectiveAt: '2020-01-01' }, { 'If-Match': '"0"' });
      expect(stale.status).toBe(412);
      expect(stale.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(await api.eventCount()).toBe(count);
    });

    it('refuses a malformed If-Match with 400', async () => {
      const res = await post(api, '/v1/cadres/m-001/talks', { kind: 'reminder', reason: '提醒', effectiveAt: '2020-01-01' }, { 'If-Match': 'yesterday' });
      expect(res.status).toBe(400);
    });
  });

  describe('concurrent writers without If-Match', () => {
    it('retries lost races, and answers 201 or a 409 for each, never a 5xx, appending once per 201', async () => {
      await register(api, 'r-001');
      const count = await api.eventCount();
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => post(api, '/v1/cadres/r-001/talks', { kind: 'reminder', reason: `第${i}次`, effectiveAt: '2020-01-01' })),
      );
      const created = answers.filter((a) => a.status === 201);
      expect(answers.every((a) => a.status === 201 || (a.status === 409 && a.body.code === 'wrong-expected-revision'))).toBe(true);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(await api.eventCount()).toBe(count + created.length);
      expect(new Set(created.map((a) => a.body.revision)).size).toBe(created.length);
    });
  });

  describe('bodies', () => {
    it('answers malformed JSON with a 400 problem', async () => {
      const res = await api.http().post('/v1/cadres').auth(admin, { type: 'bearer' }).set('Content-Type', 'application/json').send('{"cadreId": ');
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: expect.any(String), title: 'Bad Request', status: 400, detail: expect.any(String) });
    });

    it('answers a body over 256 KiB with 413', async () => {
      const res = await post(api, '/v1/cadres/m-001/cautions', { reason: 'x'.repeat(300 * 1024), effectiveAt: '2020-01-01' });
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });

    it('answers a JSON array or a non-JSON body with 400', async () => {
      expect((await post(api, '/v1/cadres/m-001/cautions', [{ reason: 'x', effectiveAt: '2020-01-01' }])).status).toBe(400);
      const text = await api.http().post('/v1/cadres/m-001/cautions').auth(admin, { type: 'bearer' }).set('Content-Type', 'text/plain').send('reason=x');
      expect(text.status).toBe(400);
    });

    it('answers text PostgreSQL cannot store with 400, not 500', async () => {
      const res = await post(api, '/v1/cadres/m-001/cautions', { reason: 'a\u0000b', effectiveAt: '2020-01-01' });
      expect(res.status).toBe(400);
    });

    it('echoes a sane X-Request-Id and makes one up otherwise', async () => {
      expect((await get('/v1/cadres/m-001').set('X-Request-Id', 'req-42')).headers['x-request-id']).toBe('req-42');
      expect((await get('/v1/cadres/m-001').set('X-Request-Id', 'bad id with spaces')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('does not reveal a cadre of another unit through a duplicate registration', async () => {
      const elsewhere = await api.token(['organization'], ['u-elsewhere']);
      const res = await api.http().post('/v1/cadres').auth(elsewhere, { type: 'bearer' }).send({ ...registration('m-001', 'u-elsewhere') });
      expect(res.status).toBe(404);
      const mine = await post(api, '/v1/cadres', registration('m-001'));
      expect(mine.status).toBe(409);
    });

    it('answers an unknown route with a 404 problem', async () => {
      const res = await get('/v1/nothing-here');
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  describe('tolerance cases', () => {
    let caution: string;

    beforeAll(async () => {
      await register(api, 't-001');
      caution = (await post(api, '/v1/cadres/t-001/cautions', { reason: '决策失误', effectiveAt: '2019-05-01' })).body.eventId;
      expect((await post(api, '/v1/cadres/t-001/tolerance-cases', { caseId: 'rc-1', situation: 'SN-3', covers: [caution], initiatedBy: 'applicant', effectiveAt: '2019-06-01' })).status).toBe(201);
    });

    it('refuses a step out of order with 409 naming the current step', async () => {
      const count = await api.eventCount();
      const res = await post(api, '/v1/cadres/t-001/tolerance-cases/rc-1/decision', { outcome: 'exempted', reason: '容错', effectiveAt: '2019-07-01' });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'tolerance-step-out-of-order', currentStep: 'requested' });
      expect(await api.eventCount()).toBe(count);
    });

    it('refuses a step dated before the previous one with 409 naming the current step, as an adjustment case does', async () => {
      const count = await api.eventCount();
      const res = await post(api, '/v1/cadres/t-001/tolerance-cases/rc-1/findings', { personalGain: false, knowingViolation: false, expresslyProhibited: false, summary: '核实', effectiveAt: '2019-05-31' });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'tolerance-step-before-previous', currentStep: 'requested' });
      expect(await api.eventCount()).toBe(count);
    });

    it('refuses anything but rejected when an exclusion was found (三个区分开来) with 422', async () => {
      expect((await post(api, '/v1/cadres/t-001/tolerance-cases/rc-1/findings', { personalGain: true, knowingViolation: false, expresslyProhibited: false, summary: '谋取私利', effectiveAt: '2019-06-15' })).status).toBe(201);
      const count = await api.eventCount();
      const res = await post(api, '/v1/cadres/t-001/tolerance-cases/rc-1/decision', { outcome: 'mitigated', mitigatedTo: { system: 'party', kind: 'warning' }, reason: '从轻', effectiveAt: '2019-07-01' });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'tolerance-excluded', exclusions: ['personalGain'] });
      expect(await api.eventCount()).toBe(count);
      expect((await post(api, '/v1/cadres/t-001/tolerance-cases/rc-1/decision', { outcome: 'rejected', reason: '不予容错', effectiveAt: '2019-07-01' })).status).toBe(201);
    });

    it('refuses an unknown situation and an unknown covered event with 422', async () => {
      const unknownSituation = await post(api, '/v1/cadres/t-001/tolerance-cases', { caseId: 'rc-2', situation: 'XX-99', covers: [caution], initiatedBy: 'authority', effectiveAt: '2019-06-01' });
      expect(unknownSituation.status).toBe(422);
      const unknownCover = await post(api, '/v1/cadres/t-001/tolerance-cases', { caseId: 'rc-2', situation: 'SN-3', covers: ['00000000-0000-4000-8000-000000000000'], initiatedBy: 'authority', effectiveAt: '2019-06-01' });
      expect(unknownCover.status).toBe(422);
    });
  });

  describe('promotions, eligibility and time travel', () => {
    let registeredAt: string;
    let demotedAt: string;
    let demotion: string;

    beforeAll(async () => {
      const admin = await api.token(['admin']);
      const res = await api.http().post('/v1/cadres').auth(admin, { type: 'bearer' }).send({ cadreId: 'p-001', name: '李明', unitId: 'sx-fgw', jurisdiction: 'CN-SN', position, effectiveAt: '2015-01-01' });
      registeredAt = res.body.recordedAt;
      // A backdated fact: entered now, in force since 2019.
      const demoted = await post(api, '/v1/cadres/p-001/adjustments', { kind: 'demotion', newPosition: deputy, effectiveAt: '2019-03-15', documentRef: '陕组干〔2019〕8号' });
      expect(demoted.status).toBe(201);
      demotedAt = demoted.body.recordedAt;
      demotion = demoted.body.eventId;
    });

    it('refuses a promotion while the lock holds with 409 and the locks with their clauses', async () => {
      const count = await api.eventCount();
      const res = await post(api, '/v1/cadres/p-001/promotions', { newPosition: position, effectiveAt: '2020-06-01' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('promotion-locked');
      expect(res.body.locks).toEqual([
        expect.objectContaining({
          kind: 'demotion',
          ruleId: 'CN-SN/NSX-16b',
          from: '2019-03-15',
          until: '2021-03-15',
          sourceEventId: demotion,
          citation: { document: '陕西省推进省管党政领导干部能上能下办法(试行)', article: '第十六条', text: '降职的,两年内不得提拔' },
        }),
      ]);
      expect(await api.eventCount()).toBe(count);
    });

    it('answers eligibility as the records stood before and at the backdated fact\'s recordedAt', async () => {
      const before = await get(`/v1/cadres/p-001/eligibility?asOf=2020-01-01&knownAt=${encodeURIComponent(registeredAt)}`);
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({ cadreId: 'p-001', asOf: '2020-01-01', knownAt: registeredAt, promotable: true, locks: [] });
      const after = await get(`/v1/cadres/p-001/eligibility?asOf=2020-01-01&knownAt=${encodeURIComponent(demotedAt)}`);
      expect(after.body).toMatchObject({ promotable: false, locks: [expect.objectContaining({ ruleId: 'CN-SN/NSX-16b', until: '2021-03-15' })] });
      expect(after.body.ruleSets[0]).toMatch(/^CN-SN/);
      const lockEnded = await get('/v1/cadres/p-001/eligibility?asOf=2021-03-15');
      expect(lockEnded.body).toMatchObject({ promotable: true, locks: [] });
    });

    it('validates asOf and knownAt, and answers 404 before the cadre was recorded', async () => {
      expect((await get('/v1/cadres/p-001/eligibility?asOf=2021-02-30')).status).toBe(400);
      expect((await get('/v1/cadres/p-001/eligibility?knownAt=yesterday')).status).toBe(400);
      expect((await get('/v1/cadres/p-001/eligibility?color=red')).status).toBe(400);
      expect((await get('/v1/cadres/p-001/eligibility?knownAt=2000-01-01T00:00:00Z')).status).toBe(404);
      expect((await get('/v1/cadres/nobody/eligibility')).status).toBe(404);
    });

    it('serves the history with actors and hashes, and as it stood at knownAt', async () => {
      const all = await get('/v1/cadres/p-001/history');
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ cadreId: 'p-001', revision: 1 });
      expect(all.body.events[1]).toMatchObject({
        eventId: demotion,
        type: 'CadreAdjusted',
        revision: 1,
        effectiveAt: '2019-03-15',
        recordedAt: demotedAt,
        actor: 'e2e-admin',
        data: { kind: 'demotion' },
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        prevHash: all.body.events[0].hash,
      });
      const then = await get(`/v1/cadres/p-001/history?knownAt=${encodeURIComponent(registeredAt)}`);
      expect(then.body.events.map((e: { type: string }) => e.type)).toEqual(['CadreRegistered']);
    });

    it('shows the profile after the demotion', async () => {
      const res = await get('/v1/cadres/p-001');
      expect(res.body).toEqual({ cadreId: 'p-001', name: '李明', unitId: 'sx-fgw', jurisdiction: 'CN-SN', position: deputy, revision: 1 });
    });
  });

  describe('audit/verify', () => {
    it('recomputes the chain of one cadre and of all, and finds a tampered event', async () => {
      const one = await get('/v1/audit/verify?cadreId=p-001');
      expect(one.body).toMatchObject({ ok: true, checked: 2 });
      const all = await get('/v1/audit/verify');
      expect(all.body.ok).toBe(true);
      expect(all.body.checked).toBeGreaterThanOrEqual(2);

      await register(api, 'x-001');
      await post(api, '/v1/cadres/x-001/cautions', { reason: '原文', effectiveAt: '2020-01-01' });
      await tamperWithStoredEvent(api.db.url, 'cadre-x-001', 1, { reason: '改过的' });
      const broken = await get('/v1/audit/verify?cadreId=x-001');
      expect(broken.body).toMatchObject({ ok: false, brokenAt: { stream: 'cadre-x-001', revision: 1 } });
      expect((await get('/v1/audit/verify')).body).toMatchObject({ ok: false, brokenAt: { stream: 'cadre-x-001' } });
    });
  });

  describe('operations', () => {
    it('reports liveness and readiness including the database', async () => {
      const res = await api.http().get('/health');
      expect(res.body).toEqual({ status: 'ok', live: true, ready: true, checks: { database: 'up', eventStore: 'up' } });
    });

    it('exposes request counts by route and status, latencies, appends and conflicts', async () => {
      const res = await api.http().get('/metrics');
      expect(res.text).toMatch(/ledger_http_requests_total\{method="POST",route="\/v1\/cadres\/:cadreId\/promotions",status="409"\} [1-9]/);
      expect(res.text).toMatch(/ledger_http_request_duration_seconds_bucket\{le="[^"]+",method="GET"/);
      expect(res.text).toMatch(/ledger_events_appended_total\{type="CadreAdjusted"\} [1-9]/);
      expect(res.text).toMatch(/ledger_append_conflicts_total \d/);
    });

    it('publishes an OpenAPI document with every endpoint of API.md', async () => {
      const doc = (await api.http().get('/docs-json')).body as { paths: Record<string, Record<string, unknown>>; components: { securitySchemes: object } };
      const expected: [string, string][] = [
        ['post', '/v1/cadres'],
        ['get', '/v1/cadres/{cadreId}'],
        ...['transfers', 'annual-reviews', 'commendations', 'cautions', 'talks', 'sanctions', 'investigations', 'tolerance-cases', 'adjustments', 'promotions', 'clearances', 'retractions'].map(
          (s) => ['post', `/v1/cadres/{cadreId}/${s}`] as [string, string],
        ),
        ['post', '/v1/cadres/{cadreId}/investigations/{caseId}/closure'],
        ...['findings', 'decision', 'notification', 'filing'].map((s) => ['post', `/v1/cadres/{cadreId}/tolerance-cases/{caseId}/${s}`] as [string, string]),
        ['post', '/v1/units/{unitId}/assessments'],
        ['get', '/v1/cadres/{cadreId}/eligibility'],
        ['get', '/v1/cadres/{cadreId}/history'],
        ['get', '/v1/eligibility'],
        ['get', '/v1/stats'],
        ['get', '/v1/audit/verify'],
        ['get', '/health'],
        ['get', '/metrics'],
      ];
      for (const [method, path] of expected) expect({ path, method, found: Boolean(doc.paths[path]?.[method]) }).toEqual({ path, method, found: true });
      expect(doc.components.securitySchemes).toHaveProperty('bearer');
      const register = doc.paths['/v1/cadres'].post as { requestBody: { content: Record<string, { schema: { $ref: string } }> }; responses: Record<string, unknown> };
      expect(register.requestBody.content['application/json'].schema.$ref).toMatch(/RegisterCadreDto/);
      expect(Object.keys(register.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '409', '412', '413', '422']));
      const closure = doc.paths['/v1/cadres/{cadreId}/investigations/{caseId}/closure'].post as { parameters: { name: string; schema: { pattern?: string } }[] };
      expect(closure.parameters.filter((p) => p.schema.pattern).map((p) => p.name)).toEqual(['cadreId', 'caseId']);
      expect((await api.http().get('/docs')).status).toBe(200);
    });
  });
});
