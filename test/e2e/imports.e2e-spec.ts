import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { waitUntil } from '@cadre-ledger/platform';
import { startTestApi, type TestApi } from './support/test-api';

/**
 * POST /v1/imports: a spreadsheet uploaded, taken in by an import job in the background, its
 * progress and report at GET /v1/imports/{id}; all or nothing, problems named by sheet, row and
 * column in Chinese; only within the token's units; the roles of API.md.
 */
jest.setTimeout(240_000);

const EXAMPLE = resolve(__dirname, '../../docs/import/示例.xlsx');

describe('imports over HTTP', () => {
  let api: TestApi;
  let dir: string;
  let org: string;
  beforeAll(async () => {
    api = await startTestApi('imports');
    org = await api.token(['organization'], ['*'], 'zzb-hr');
    dir = await mkdtemp(join(tmpdir(), 'imports-e2e-'));
  });
  afterAll(async () => {
    await api?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const upload = (path: string, token = org, fields: Record<string, string> = {}, headers: Record<string, string> = {}) => {
    let req = api.http().post('/v1/imports').auth(token, { type: 'bearer' });
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req.attach('file', path);
  };
  const finished = async (location: string, token = org) => {
    let body: { status: string; report: { rows: number; imported: number; alreadyStored: number; problems: { sheet: string; row: number; column: string; message: string; code?: string }[] }; error: string | null } | undefined;
    await waitUntil(async () => {
      const res = await api.http().get(location).auth(token, { type: 'bearer' });
      body = res.body;
      return res.status === 200 && res.body.status !== 'running';
    }, { timeoutMs: 150_000, description: 'the import job to end' });
    return body!;
  };
  const copyWith = async (sheet: string, row: number, column: number, value: string) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(EXAMPLE);
    workbook.getWorksheet(sheet)!.getRow(row).getCell(column).value = value;
    const path = join(dir, `copy-${sheet}-${row}-${column}.xlsx`);
    await workbook.xlsx.writeFile(path);
    return path;
  };

  it('refuses a copy with one bad cell as a whole, naming sheet, row and column in Chinese', async () => {
    const before = await api.eventCount();
    const res = await upload(await copyWith('表彰', 2, 2, '乡级'));
    expect(res.status).toBe(202);
    const job = await finished(res.headers.location);
    expect(job.status).toBe('refused');
    expect(job.report.problems).toEqual([{ sheet: '表彰', row: 2, column: '表彰级别', message: '"表彰级别"应为以下之一:国家级、省级、市级、县级,实际为"乡级"' }]);
    expect(await api.eventCount()).toBe(before);
  });

  it('takes in the shipped example, and the same file again appends nothing', async () => {
    const res = await upload(EXAMPLE);
    expect([res.status, res.body.status, res.headers.location]).toEqual([202, 'running', `/v1/imports/${res.body.importId}`]);
    const job = await finished(res.headers.location);
    expect(job).toMatchObject({ status: 'succeeded', report: { rows: 13, imported: 13, problems: [] } });
    const after = await api.eventCount();
    const again = await finished((await upload(EXAMPLE)).headers.location);
    expect(again.report).toMatchObject({ imported: 0, alreadyStored: 13 });
    expect(await api.eventCount()).toBe(after);
    const history = await api.http().get('/v1/cadres/NS-0003/history').auth(await api.token(['admin']), { type: 'bearer' });
    expect(history.body.events.map((e: { type: string; actor: string }) => [e.type, e.actor])).toContainEqual(['CautionIssued', 'zzb-hr']);
  });

  it('makes an Idempotency-Key the job: the same file is that job again, another file a 409', async () => {
    const first = await upload(EXAMPLE, org, {}, { 'Idempotency-Key': 'intake-2026-12-02' });
    const again = await upload(EXAMPLE, org, {}, { 'Idempotency-Key': 'intake-2026-12-02' });
    expect([again.status, again.body.importId, again.headers['idempotency-replayed']]).toEqual([202, first.body.importId, 'true']);
    const other = await upload(await copyWith('诫勉', 2, 2, '另一事由'), org, {}, { 'Idempotency-Key': 'intake-2026-12-02' });
    expect([other.status, other.body.type]).toEqual([409, 'urn:cadre-ledger:problem:idempotency-key-reused']);
    await finished(first.headers.location);
  });

  it('writes only within the token\'s units, and shows a job only to its caller and admins', async () => {
    const narrow = await api.token(['organization'], ['ningshan'], 'zzb-ningshan');
    const res = await upload(await copyWith('诫勉', 2, 2, '作风问题(县局)'), narrow);
    const job = await finished(res.headers.location, narrow);
    expect(job.status).toBe('refused');
    expect(job.report.problems).toContainEqual(expect.objectContaining({ sheet: '诫勉', row: 2, column: '干部编号', code: 'not-found' }));
    expect((await api.http().get(res.headers.location).auth(org, { type: 'bearer' })).status).toBe(404);
    expect((await api.http().get(res.headers.location).auth(await api.token(['admin']), { type: 'bearer' })).status).toBe(200);
  });

  it('answers 403 to roles that may not import, and 400 to what is not an upload', async () => {
    expect((await upload(EXAMPLE, await api.token(['assessment']))).status).toBe(403);
    const json = await api.http().post('/v1/imports').auth(org, { type: 'bearer' }).send({ mode: 'live' });
    expect([json.status, json.body.errors]).toEqual([400, [expect.objectContaining({ field: 'file' })]]);
    const badMode = await upload(EXAMPLE, org, { mode: 'restore' });
    expect([badMode.status, badMode.body.errors]).toEqual([400, [{ field: 'mode', message: 'mode must be live or historical' }]]);
    const text = join(dir, 'notes.txt');
    await writeFile(text, 'not a spreadsheet');
    expect((await upload(text)).status).toBe(400);
    expect((await api.http().get('/v1/imports/not-a-uuid').auth(org, { type: 'bearer' })).status).toBe(404);
  });

  it('ends a job on a file that is not a workbook with the reason, not a 500', async () => {
    const fake = join(dir, 'fake.xlsx');
    await writeFile(fake, 'PK not really a zip');
    const job = await finished((await upload(fake)).headers.location);
    expect(job.status).toBe('failed');
    expect(job.error).toContain('无法读取工作簿');
  });
});
