import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startTestApi, type TestApi } from './support/test-api';

/**
 * The contract documents itself: the OpenAPI document the server publishes lints clean with
 * Redocly's recommended rules (no error, no warning), and the repository holds a copy of it
 * (docs/openapi.json) that this test keeps current: `UPDATE_OPENAPI=1 npx jest test/e2e/openapi`
 * writes it again after a change of the API.
 */
jest.setTimeout(60_000);

const COPY = resolve(__dirname, '../../docs/openapi.json');

describe('the OpenAPI document', () => {
  let api: TestApi;
  let document: Record<string, unknown>;
  beforeAll(async () => {
    api = await startTestApi('openapi');
    document = (await api.http().get('/docs-json')).body as Record<string, unknown>;
  });
  afterAll(async () => {
    await api?.close();
  });

  /**
   * The four routes that take no input answer no client error: a 4XX documented there would be
   * untrue, so this one recommendation is left unmet on them, and only on them.
   */
  const NO_CLIENT_ERROR = ['/health', '/health/live', '/metrics', '/v1/audit/public-key'].map((path) => `warn operation-4xx-response: Operation must have at least one \`4XX\` response. at #/paths/${path.replace(/\//g, '~1')}/get/responses`);

  it('lints clean with Redocly\'s recommended rules: no error, and no warning but the routes that take no input', async () => {
    const out = execFileSync(process.execPath, [join(__dirname, '..', 'support', 'lint-openapi.mjs')], { input: JSON.stringify(document), encoding: 'utf8', cwd: resolve(__dirname, '../..') });
    const problems = JSON.parse(out) as { severity: string; rule: string; message: string; at: string[] }[];
    const listed = problems.map((p) => `${p.severity} ${p.rule}: ${p.message} at ${p.at.join(', ')}`);
    expect(listed.filter((p) => p.startsWith('error'))).toEqual([]);
    expect(listed.filter((p) => !NO_CLIENT_ERROR.includes(p))).toEqual([]);
  });

  it('types the refusal bodies, marks the public routes, names a server and a licence', () => {
    const schemas = (document.components as { schemas: Record<string, { properties: Record<string, { items?: { $ref?: string } }> }> }).schemas;
    expect(schemas.ProblemDto.properties.locks.items?.$ref).toBe('#/components/schemas/LockDto');
    expect(schemas.ProblemDto.properties.conditions.items?.$ref).toBe('#/components/schemas/VerdictEntryDto');
    const paths = document.paths as Record<string, Record<string, { security?: unknown[] }>>;
    expect(paths['/health'].get.security).toEqual([]);
    expect(paths['/v1/cadres/{cadreId}'].get.security).toEqual([{ bearer: [] }]);
    expect(document).toMatchObject({ servers: [{ url: '/' }], info: { license: { name: expect.any(String) } } });
  });

  it('is the copy the repository holds (docs/openapi.json)', () => {
    const text = `${JSON.stringify(document, null, 2)}\n`;
    if (process.env.UPDATE_OPENAPI === '1') writeFileSync(COPY, text);
    expect(readFileSync(COPY, 'utf8')).toBe(text);
  });
});
