/**
 * `npm run bench:import-bounds`: the bar of issue 34, measured on the API as `npm start` runs it
 * (a process of its own, on the bench's PostgreSQL): for each hostile upload, the longest time
 * `/health/live` went unanswered while the job ran, how much the API's resident memory grew, the
 * size of the job's answer (and of all its problem pages), the most temporary space used (the
 * import directory and the TMPDIR the API and its job processes get), and whether any file was
 * left behind. Prints a table; asserts nothing (the tests prove behaviour, this measures).
 *
 * Files: a 50 MB CSV of invalid rows, an .xlsx of `BENCH_XLSX_ROWS` (default 900,000) invalid
 * rows (about 20 MB), a 2 MB CSV of invalid rows, and a zip bomb (a 0.25 MB .xlsx whose worksheet
 * precedes its shared strings and inflates to 256 MB).
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { benchServer, benchToken, startApi } from './support';
import { deflated, zipOf } from '../test/support/zip';

const HEADER = '干部编号,事由,生效日期\n';
const invalidRow = (i: number) => `bench-${i},事由${i},不是日期${i}\n`;

async function csvOf(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  let written = 0;
  out.write(HEADER);
  for (let i = 0; written < bytes; i++) {
    const line = invalidRow(i);
    written += Buffer.byteLength(line);
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

async function xlsxOf(path: string, rows: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('诫勉');
  sheet.addRow(['干部编号', '事由', '生效日期']).commit();
  for (let i = 0; i < rows; i++) sheet.addRow([`bench-${i}`, `事由${i}`, `不是日期${i}`]).commit();
  sheet.commit();
  await workbook.commit();
}

/** A worksheet first, inflating to `inflated` bytes of spaces, then the shared strings: what filled TMPDIR before. */
function zipBomb(inflated: number): Buffer {
  const sheet = Buffer.alloc(inflated, 0x20);
  sheet.write('<worksheet><sheetData>', 0);
  const part = { name: 'xl/worksheets/sheet1.xml', stored: deflateRawSync(sheet, { level: 9 }), uncompressedSize: inflated };
  return zipOf([
    deflated('xl/_rels/workbook.xml.rels', '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'),
    deflated('xl/workbook.xml', '<workbook><sheets><sheet name="诫勉" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    part,
    deflated('xl/sharedStrings.xml', '<sst/>'),
  ]);
}

async function bytesUnder(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await bytesUnder(path) : await stat(path).then((s) => s.size, () => 0);
  }
  return total;
}

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function main(): Promise<void> {
  const server = await benchServer();
  const importDir = join(server.dir, 'imports');
  const scratch = join(server.dir, 'tmp');
  await mkdir(scratch, { recursive: true });
  const api = await startApi(await server.fresh('bench_import_bounds'), { LEDGER_IMPORT_DIR: importDir, TMPDIR: scratch });
  const token = await benchToken(['organization']);
  const files: { label: string; path: string }[] = [];
  const make = async (label: string, name: string, write: (path: string) => Promise<void>) => {
    const dir = join(server.dir, label.replace(/\W+/g, '-'));
    await mkdir(dir, { recursive: true });
    const path = join(dir, name);
    await write(path);
    files.push({ label, path });
  };
  await make('CSV, 50 MB of invalid rows', '诫勉.csv', (p) => csvOf(p, 50_000_000));
  await make(`xlsx, ${Number(process.env.BENCH_XLSX_ROWS ?? 900_000).toLocaleString('en')} invalid rows`, '诫勉.xlsx', (p) => xlsxOf(p, Number(process.env.BENCH_XLSX_ROWS ?? 900_000)));
  await make('CSV, 2 MB of invalid rows', '诫勉.csv', (p) => csvOf(p, 2_000_000));
  await make('zip bomb, worksheet before shared strings, 256 MB inflated', 'bomb.xlsx', (p) => writeFile(p, zipBomb(256 * 1024 * 1024)));

  // What the API left in TMPDIR at start (its own, not an import's) is not counted.
  const baseline = new Set(await readdir(scratch));
  const baselineBytes = await bytesUnder(scratch);
  const rows: string[][] = [];
  for (const { label, path } of files) {
    const size = (await stat(path)).size;
    const rssBefore = rssMiB(api.pid);
    let rssMax = rssBefore;
    let tempMax = 0;
    let lastAnswer = performance.now();
    let maxGap = 0;
    let running = true;
    const probe = (async () => {
      while (running) {
        const ok = await fetch(`${api.base}/health/live`).then((r) => r.ok, () => false);
        const now = performance.now();
        if (ok) {
          maxGap = Math.max(maxGap, now - lastAnswer);
          lastAnswer = now;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const sampler = setInterval(() => {
      rssMax = Math.max(rssMax, rssMiB(api.pid));
      void Promise.all([bytesUnder(importDir), bytesUnder(scratch)]).then(([a, b]) => (tempMax = Math.max(tempMax, a + b - baselineBytes)));
    }, 50);
    const form = new FormData();
    form.append('file', new Blob([await readFile(path)]), path.split('/').pop()!);
    const started = performance.now();
    const accepted = await fetch(`${api.base}/v1/imports`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
    let answer = '';
    let pages = 0;
    let job: { status: string; error: string | null; report: { problemCount: number } | null } = { status: `HTTP ${accepted.status}`, error: null, report: null };
    if (accepted.status === 202) {
      const location = accepted.headers.get('location')!;
      for (;;) {
        const res = await fetch(`${api.base}${location}`, { headers: { Authorization: `Bearer ${token}` } });
        answer = await res.text();
        job = JSON.parse(answer);
        if (job.status !== 'running') break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      for (let cursor: string | null = ''; cursor !== null; ) {
        const res = await fetch(`${api.base}${location}/problems?limit=500${cursor ? `&cursor=${cursor}` : ''}`, { headers: { Authorization: `Bearer ${token}` } });
        if (res.status !== 200) break;
        const text = await res.text();
        pages += text.length;
        cursor = (JSON.parse(text) as { nextCursor: string | null }).nextCursor;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    running = false;
    await probe;
    clearInterval(sampler);
    const left = (await readdir(importDir)).length + (await readdir(scratch)).filter((name) => !baseline.has(name)).length;
    rows.push([
      label,
      `${(size / 1e6).toFixed(1)} MB`,
      `${job.status}${job.error ? `: ${job.error.slice(0, 60)}` : job.report ? ` (${job.report.problemCount} problems)` : ''}`,
      seconds.toFixed(1),
      `${Math.round(maxGap)} ms`,
      `${Math.round(rssMax - rssBefore)} MiB`,
      `${(answer.length / 1e3).toFixed(1)} kB + pages ${(pages / 1e3).toFixed(1)} kB`,
      `${(tempMax / 1e6).toFixed(1)} MB`,
      String(left),
    ]);
  }
  await api.stop();
  await server.stop();
  const head = ['upload', 'size', 'job', 'seconds', 'liveness max gap', 'API RSS growth', 'report', 'temp space max', 'files left'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write(`${[line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
