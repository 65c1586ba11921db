import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { waitUntil } from '@cadre-ledger/platform';
import { deflated, zipOf } from '../support/zip';
import { register, startTestApi, type TestApi } from './support/test-api';

/**
 * One upload must not take the service down (issue 34): POST /v1/imports answers 202 once the file
 * name and fields are valid, and the job judges the content, ending with its reason; the problems
 * kept are bounded and paged; an .xlsx archive is judged from its directory before anything is
 * inflated; no upload outlives its job; the API answers /health/live while a job runs, and a job
 * whose process runs out of memory fails without the API noticing. Timings are bench/'s.
 */
jest.setTimeout(240_000);

type Job = { status: string; error: string | null; report: { rows: number; problemCount: number; problemsNotListed: number; problems: { row: number; message: string }[] } | null };

const LIMITS = { maxProblems: 5, maxRows: 1000, maxFileBytes: 4 * 1024 * 1024, maxEntryBytes: 64 * 1024 * 1024, maxCompressionRatio: 100 };

describe('bounded imports', () => {
  let api: TestApi;
  let dir: string;
  let org: string;
  beforeAll(async () => {
    api = await startTestApi('import-bounds', { imports: { limits: LIMITS } });
    org = await api.token(['organization'], ['*'], 'bounds-hr');
    dir = await mkdtemp(join(tmpdir(), 'import-bounds-'));
    await register(api, 'bd-1', 'u-bd');
  });
  afterAll(async () => {
    await api?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const file = async (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };
  const upload = (path: string, fields: Record<string, string> = {}, target = api) => {
    let req = target.http().post('/v1/imports').auth(org, { type: 'bearer' });
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    return req.attach('file', path);
  };
  const ended = async (location: string, target = api): Promise<Job> => {
    let job: Job | undefined;
    await waitUntil(
      async () => {
        const res = await target.http().get(location).auth(org, { type: 'bearer' });
        job = res.body as Job;
        return res.status === 200 && job.status !== 'running';
      },
      { timeoutMs: 180_000, description: 'the import job to end' },
    );
    return job!;
  };
  const uploadsLeft = (target = api) => readdir(target.importDir);
  const cautions = (rows: string[]) => `干部编号,事由,生效日期\n${rows.join('\n')}\n`;

  it('answers 202 whatever the content; the job ends failed with the reason when the file has more rows than the limit, and nothing is left', async () => {
    const rows = Array.from({ length: LIMITS.maxRows + 10 }, (_, i) => `bd-1,事由${i},2020-01-01`);
    const res = await upload(await file('诫勉.csv', cautions(rows)));
    expect(res.status).toBe(202);
    const job = await ended(res.headers.location);
    expect([job.status, job.error]).toEqual(['failed', expect.stringContaining(`${LIMITS.maxRows} 行`)]);
    expect(await uploadsLeft()).toEqual([]);
  });

  it('keeps the first problems and counts the rest; every kept one a page at a time', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `bd-1,事由${i},不是日期${i}`);
    const res = await upload(await file('诫勉.csv', cautions(rows)));
    const job = await ended(res.headers.location);
    expect(job.status).toBe('refused');
    expect(job.report).toMatchObject({ rows: 40, problemCount: 40, problemsNotListed: 40 - LIMITS.maxProblems });
    expect(job.report!.problems.map((p) => p.row)).toEqual([2, 3, 4, 5, 6]);
    const first = await api.http().get(`${res.headers.location}/problems?limit=3`).auth(org, { type: 'bearer' });
    expect([first.body.total, first.body.items.map((p: { row: number }) => p.row)]).toEqual([LIMITS.maxProblems, [2, 3, 4]]);
    const second = await api.http().get(`${res.headers.location}/problems?limit=3&cursor=${first.body.nextCursor}`).auth(org, { type: 'bearer' });
    expect([second.body.items.map((p: { row: number }) => p.row), second.body.nextCursor]).toEqual([[5, 6], null]);
    expect(await uploadsLeft()).toEqual([]);
  });

  it('leaves no upload behind a refusal: a wrong name (never written), a bad mode, a body over the limit', async () => {
    const text = await file('notes.txt', 'x'.repeat(10_000));
    expect((await upload(text)).status).toBe(400);
    const bad = await upload(await file('诫勉.csv', cautions(['bd-1,事由,2020-01-01'])), { mode: 'restore' });
    expect(bad.status).toBe(400);
    const huge = await upload(await file('big.csv', Buffer.alloc(LIMITS.maxFileBytes + 1024, 0x41))).catch((error: { response?: { status: number } }) => error.response);
    expect(huge?.status).toBe(413);
    await waitUntil(async () => (await uploadsLeft()).length === 0, { timeoutMs: 10_000, description: 'the cut-off upload to be removed' });
  });

  it('refuses a zip bomb from its central directory, before inflating anything', async () => {
    // Random bytes declared to inflate to 3.5 GB: inflating them would fail as a broken stream; the
    // refusal names the ratio, so nothing was inflated. Nothing is written but the upload, then removed.
    const bomb = zipOf([deflated('[Content_Types].xml', '<Types/>'), { name: 'xl/worksheets/sheet1.xml', stored: randomBytes(64 * 1024), uncompressedSize: 0xe0000000 }]);
    const job = await ended((await upload(await file('bomb.xlsx', bomb))).headers.location);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/xl\/worksheets\/sheet1\.xml.*(超过上限|压缩比)/);
    expect(await uploadsLeft()).toEqual([]);
  });

  it('stops an entry that inflates beyond what its directory declares', async () => {
    const honest = deflated('xl/_rels/workbook.xml.rels', ' '.repeat(8 * 1024 * 1024));
    const liar = zipOf([{ ...honest, uncompressedSize: 1000 }, deflated('xl/workbook.xml', '<workbook/>')]);
    const job = await ended((await upload(await file('liar.xlsx', liar))).headers.location);
    expect(job.status).toBe('failed');
    expect(job.error).toContain('无法读取工作簿');
    expect(await uploadsLeft()).toEqual([]);
  });

  it('answers /health/live while a job runs (held at its append), and the job goes on when let go', async () => {
    const lock = new Client({ connectionString: api.db.url });
    await lock.connect();
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE ledger_events IN EXCLUSIVE MODE');
      const rows = Array.from({ length: 200 }, (_, i) => `bd-1,谈心谈话提醒${i},2021-01-${String((i % 28) + 1).padStart(2, '0')}`);
      const res = await upload(await file('诫勉.csv', cautions(rows)));
      expect(res.status).toBe(202);
      // The job's process waits for the lock: it is running, and the API answers.
      await waitUntil(async () => (await lock.query("SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'ledger_events'::regclass AND NOT granted")).rows[0].n > 0, {
        timeoutMs: 120_000,
        description: 'the job to wait at its append',
      });
      for (let i = 0; i < 5; i++) expect((await api.http().get('/health/live')).status).toBe(200);
      expect((await api.http().get(res.headers.location).auth(org, { type: 'bearer' })).body.status).toBe('running');
      expect(await uploadsLeft()).toHaveLength(1);
      await lock.query('COMMIT');
      const job = await ended(res.headers.location);
      expect([job.status, job.report?.rows]).toEqual(['succeeded', 200]);
      expect(await uploadsLeft()).toEqual([]);
    } finally {
      await lock.end();
    }
  });

  it('fails a job whose process runs out of memory, with the reason; the API goes on answering', async () => {
    const small = await startTestApi('import-oom', { imports: { memoryMb: 96 } });
    try {
      // 300,000 valid-looking rows held to be decided: far more than 96 MB of heap.
      const rows = Array.from({ length: 300_000 }, (_, i) => `oom-${i},${'事由'.repeat(20)}${i},2021-01-01`);
      const res = await upload(await file('诫勉.csv', cautions(rows)), {}, small);
      expect(res.status).toBe(202);
      const job = await ended(res.headers.location, small);
      expect([job.status, job.error]).toEqual(['failed', expect.stringContaining('内存上限')]);
      expect((await small.http().get('/health/live')).status).toBe(200);
      expect(await uploadsLeft(small)).toEqual([]);
    } finally {
      await small.close();
    }
  });
});
