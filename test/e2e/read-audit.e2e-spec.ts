import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { deputy, position, post, startTestApi, type TestApi } from './support/test-api';

/**
 * API.md, "Read audit": every read of a cadre's personal data is recorded before it answers. This
 * walks every route of the OpenAPI document whose answer carries a cadre's id beside a name, calls
 * it with data that makes it show names, and finds one access record per cadre shown, through that
 * route. A new route that shows names is walked too: the test fails until it is told how to call it.
 */
jest.setTimeout(120_000);

type Schema = { $ref?: string; properties?: Record<string, Schema>; items?: Schema; additionalProperties?: Schema | boolean; allOf?: Schema[]; oneOf?: Schema[]; anyOf?: Schema[] };
type Operation = { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> };

const DOCUMENT = JSON.parse(readFileSync(resolve(__dirname, '../../docs/openapi.json'), 'utf8')) as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/** Whether a schema (through references, arrays and nesting) has an object with both cadreId and name. */
function namesCadres(schema: Schema | undefined, seen = new Set<Schema>()): boolean {
  const resolved = schema?.$ref ? DOCUMENT.components.schemas[schema.$ref.split('/').pop()!] : schema;
  if (!resolved || seen.has(resolved)) return false;
  seen.add(resolved);
  if (resolved.properties?.cadreId && resolved.properties?.name) return true;
  const nested = [resolved.items, typeof resolved.additionalProperties === 'object' ? resolved.additionalProperties : undefined, ...(resolved.allOf ?? []), ...(resolved.oneOf ?? []), ...(resolved.anyOf ?? []), ...Object.values(resolved.properties ?? {})];
  return nested.some((s) => namesCadres(s, seen));
}

/** `GET /v1/locks`, … : every operation whose success answer names cadres. */
const NAMING_ROUTES = Object.entries(DOCUMENT.paths).flatMap(([path, operations]) =>
  Object.entries(operations)
    .filter(([, op]) => Object.entries(op.responses ?? {}).some(([code, r]) => code.startsWith('2') && Object.values(r.content ?? {}).some((c) => namesCadres(c.schema))))
    .map(([method]) => `${method.toUpperCase()} ${path}`),
);

/** The cadres an answer shows by name: every object carrying a cadreId and a name. */
function cadresNamed(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => cadresNamed(v, found));
  else if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.cadreId === 'string' && typeof o.name === 'string' && o.name.length > 0) found.add(o.cadreId);
    Object.values(o).forEach((v) => cadresNamed(v, found));
  }
  return found;
}

/** How to call each naming route so that it shows what the set-up recorded. */
const CALLS: Record<string, { path: string; body?: object; accept?: string[] }> = {
  'GET /v1/cadres': { path: '/v1/cadres?limit=100' },
  'GET /v1/cadres/{cadreId}': { path: '/v1/cadres/w-1' },
  'POST /v1/nominations/dossier': { path: '/v1/nominations/dossier', body: { cadreIds: ['w-1', 'w-2'], asOf: '2026-01-01' }, accept: ['application/json', 'text/html'] },
  'GET /v1/audit/conflicts': { path: '/v1/audit/conflicts' },
  'GET /v1/cases': { path: '/v1/cases' },
  'GET /v1/locks': { path: '/v1/locks' },
  'GET /v1/review-triggers': { path: '/v1/review-triggers' },
};

describe('the read audit of every route that shows names', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi('read-audit');
    const ok = async (path: string, body: object) => {
      const res = await post(api, path, body);
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as { eventId: string };
    };
    for (const [cadreId, name] of [['w-1', '王一'], ['w-2', '王二'], ['w-3', '王三']]) {
      await ok('/v1/cadres', { cadreId, name, unitId: 'u-w', jurisdiction: 'CN-SN', position: deputy, effectiveAt: '2015-01-01' });
    }
    // A promotion, then a sanction backdated before it: a lock (GET /v1/locks) and a conflict (GET /v1/audit/conflicts).
    await ok('/v1/cadres/w-1/promotions', { newPosition: position, consultationRef: '陕组函〔2020〕1号', effectiveAt: '2020-06-01' });
    const sanction = await ok('/v1/cadres/w-1/sanctions', { system: 'administrative', kind: 'demerit', effectiveAt: '2020-01-01' });
    // A demotion (a lock), a tolerance case (GET /v1/cases), a finding that calls for a review (GET /v1/review-triggers).
    await ok('/v1/cadres/w-2/adjustments', { kind: 'demotion', newPosition: { ...deputy, level: 'township-chief' }, effectiveAt: '2025-06-01' });
    await ok('/v1/cadres/w-1/tolerance-cases', { caseId: 'rc-1', situation: 'SN-1', covers: [sanction.eventId], initiatedBy: 'authority', effectiveAt: '2025-01-01' });
    await ok('/v1/cadres/w-3/findings', { category: 'leadership-review', kind: 'low-satisfaction', effectiveAt: '2026-01-10' });
    await api.project(undefined, { reactions: true });
  });
  afterAll(async () => api?.close());

  it('finds the routes that name cadres in the OpenAPI document, and knows how to call each', () => {
    expect(NAMING_ROUTES).toEqual(expect.arrayContaining(['GET /v1/locks', 'GET /v1/review-triggers', 'GET /v1/cases', 'GET /v1/cadres']));
    expect(NAMING_ROUTES.filter((route) => !CALLS[route])).toEqual([]);
  });

  it.each(NAMING_ROUTES)('%s: one access record per cadre it shows by name, through that route, before it answers', async (route) => {
    const call = CALLS[route];
    for (const accept of call.accept ?? ['application/json']) {
      const actor = `walker-${route.replace(/\W+/g, '-')}-${accept.replace(/\W+/g, '-')}`;
      const token = await api.token(['admin'], ['*'], actor);
      const json = call.body
        ? await api.http().post(call.path).auth(token, { type: 'bearer' }).set('Accept', 'application/json').send(call.body)
        : await api.http().get(call.path).auth(token, { type: 'bearer' });
      expect(json.status).toBe(200);
      const shown = cadresNamed(json.body);
      // The data makes every route show someone: a route that shows nobody proves nothing.
      expect(shown.size).toBeGreaterThan(0);
      if (accept !== 'application/json') {
        const other = await api.http().post(call.path).auth(await api.token(['admin'], ['*'], `${actor}-other`), { type: 'bearer' }).set('Accept', accept).send(call.body!);
        expect(other.status).toBe(200);
      }
      const reader = accept === 'application/json' ? actor : `${actor}-other`;
      const access = await api.http().get(`/v1/audit/access?actor=${reader}&limit=500`).auth(await api.token(['auditor'], ['*'], 'the-auditor'), { type: 'bearer' });
      const records = access.body.items as { cadreId: string; via: string }[];
      expect(new Set(records.map((r) => r.cadreId))).toEqual(shown);
      expect(new Set(records.map((r) => r.via))).toEqual(new Set([route]));
      expect(records).toHaveLength(shown.size);
    }
  });

  it('records a queue\'s page as what: list', async () => {
    const actor = 'queue-reader';
    await api.http().get('/v1/locks').auth(await api.token(['organization'], ['u-w'], actor), { type: 'bearer' });
    const access = await api.http().get(`/v1/audit/access?actor=${actor}`).auth(await api.token(['auditor']), { type: 'bearer' });
    expect(access.body.items.length).toBeGreaterThan(0);
    expect(new Set(access.body.items.map((i: { what: string }) => i.what))).toEqual(new Set(['list']));
  });
});
