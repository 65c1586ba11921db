/**
 * `npm run bench:intake`: a workbook of `BENCH_ROWS` (default 100,000) rows taken in by
 * `ledger import FILE.xlsx` (the CLI, a child process), beside `ledger import` of the same facts
 * in the export format (NDJSON), into fresh databases on the same PostgreSQL server with durable
 * commits. The facts: `BENCH_ROWS / 10` cadres registered, each with nine facts across the sheets
 * (annual reviews, commendations, cautions, talks, sanctions, transfers). The NDJSON file is the
 * export of the store the workbook filled, so both runs decide and store exactly the same events.
 * `BENCH_REPEAT` (default 3) runs of each, interleaved, the median reported. `DATABASE_URL`: a
 * server of your own instead of an embedded one. `BENCH_CPU_PROFILE=DIR`: a V8 CPU profile of each
 * CLI run there (how the figures in docs/benchmarks.md were explained).
 * Speed is measured here, never asserted in tests.
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { ensureDatabase, findFreePort, startEmbeddedPostgres, withDatabase } from '@cadre-ledger/platform';
import { SHEETS } from '@cadre-ledger/intake';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const LEDGER = resolve(__dirname, '..', 'bin', 'ledger.js');

export async function writeWorkbook(path: string, rowsWanted = ROWS): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
  const sheet = (name: string) => {
    const ws = workbook.addWorksheet(name);
    ws.addRow(SHEETS.find((s) => s.name === name)!.columns.map((c) => c.header)).commit();
    return ws;
  };
  const cadres = Math.floor(rowsWanted / 10);
  const registrations = sheet('干部登记');
  const reviews = sheet('年度考核');
  const commendations = sheet('表彰');
  const cautions = sheet('诫勉');
  const talks = sheet('谈话');
  const sanctions = sheet('处分');
  const transfers = sheet('调动');
  let rows = 0;
  const names = ['赵文清', '单雄信', '曾国藩', '解缙', '仇英', '王芳', '李强', '周敏', '陈刚', '吴磊'];
  for (let i = 0; i < cadres; i++) {
    const id = `B-${String(i).padStart(7, '0')}`;
    const unit = `unit-${i % 500}`;
    registrations.addRow([id, names[i % names.length], unit, i % 3 === 0 ? 'CN-HN-ZJJ' : 'CN-SN', '科长', '乡科级正职', '是', i % 7 === 0 ? '是' : '否', '', '', i % 2 ? '县管' : '市管', '2012-01-15', `组干〔2012〕${i % 90}号`, '']).commit();
    for (const year of [2016, 2017, 2018, 2019]) reviews.addRow([id, year, year % 2 ? '称职' : '优秀', '', '', `${year + 1}-01-20`, `考〔${year + 1}〕1号`, '']).commit();
    commendations.addRow([id, '市级', '嘉奖', '年度先进工作者', '', '', '2019-12-20', '市表〔2019〕8号', '']).commit();
    cautions.addRow([id, '履职不力', '2020-06-10', `纪〔2020〕${i % 50}号`, '']).commit();
    talks.addRow([id, '提醒谈话', '工作作风', '2020-03-05', '', '']).commit();
    sanctions.addRow([id, '政务', '警告', '', '2021-04-15', `监〔2021〕${i % 40}号`, '']).commit();
    transfers.addRow([id, `unit-${(i + 1) % 500}`, '科长', '乡科级正职', '是', '否', '', '', '', '2022-02-01', '组干〔2022〕5号', '']).commit();
    rows += 10;
  }
  for (const ws of [registrations, reviews, commendations, cautions, talks, sanctions, transfers]) ws.commit();
  await workbook.commit();
  return rows;
}

function ledger(args: string[], databaseUrl: string, stdout?: string): Promise<{ output: string; wallMs: number }> {
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    // BENCH_CPU_PROFILE=DIR: each CLI run writes a V8 CPU profile there (open it in Chrome's DevTools).
    const profile = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROFILE] : [];
    const child = spawn(process.execPath, [...profile, LEDGER, ...args], { env: { ...process.env, DATABASE_URL: databaseUrl, LEDGER_ACTOR: 'bench' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    const sink = stdout ? createWriteStream(stdout) : undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (sink ? sink.write(chunk) : (output += chunk)));
    child.on('error', reject);
    child.on('close', (code) => {
      sink?.end();
      if (code !== 0) return reject(new Error(`ledger ${args[0]} exited ${code}: ${output.slice(0, 2000)}`));
      resolvePromise({ output, wallMs: performance.now() - started });
    });
  });
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-intake-'));
  let stopServer: () => Promise<void> = async () => undefined;
  try {
    let serverUrl = process.env.DATABASE_URL;
    if (!serverUrl) {
      const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await findFreePort(), password: 'bench' });
      stopServer = () => server.stop();
      serverUrl = server.url;
    }
    const workbookPath = join(dir, 'facts.xlsx');
    const rows = await writeWorkbook(workbookPath);
    const exportPath = join(dir, 'facts.ndjson');
    /** A fresh database, after a checkpoint: every run starts from the same state of the server. */
    const fresh = async (db: string) => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${db}`);
        await client.query('CHECKPOINT');
      } finally {
        await client.end();
      }
      await ensureDatabase(serverUrl, db);
      return withDatabase(serverUrl, db);
    };
    // Interleaved runs (this machine's speed drifts), the median of each path reported.
    const xlsxMs: number[] = [];
    const ndjsonMs: number[] = [];
    let imported = { xlsx: 0, ndjson: 0 };
    for (let run = 0; run < REPEAT; run++) {
      const intoWorkbook = await fresh('bench_intake_xlsx');
      const intake = await ledger(['import', workbookPath, '--json'], intoWorkbook);
      const report = JSON.parse(intake.output) as { imported: number; problems: unknown[] };
      if (report.problems.length > 0) throw new Error(`the workbook had problems: ${JSON.stringify(report.problems.slice(0, 3))}`);
      xlsxMs.push(intake.wallMs);
      if (run === 0) await ledger(['export'], intoWorkbook, exportPath);
      const ndjson = await ledger(['import', exportPath, '--json'], await fresh('bench_intake_ndjson'));
      ndjsonMs.push(ndjson.wallMs);
      imported = { xlsx: report.imported, ndjson: (JSON.parse(ndjson.output) as { imported: number }).imported };
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000));
    const rateXlsx = perSecond(imported.xlsx, median(xlsxMs));
    const rateNdjson = perSecond(imported.ndjson, median(ndjsonMs));
    const seconds = (values: number[]) => values.map((ms) => (ms / 1000).toFixed(1)).join(', ');
    console.log(`\n${cpus().length} cores, load ${loadavg()[0].toFixed(1)}; workbook ${(await stat(workbookPath)).size >> 20} MiB, export ${(await stat(exportPath)).size >> 20} MiB; ${REPEAT} interleaved runs each, the median\n`);
    console.log('| path | facts | wall s (CLI, start to end), each run | facts/s (median) | ratio to NDJSON |');
    console.log('|---|---|---|---|---|');
    console.log(`| \`ledger import facts.xlsx\` (${rows} rows) | ${imported.xlsx} | ${seconds(xlsxMs)} | ${rateXlsx} | ${(rateXlsx / rateNdjson).toFixed(2)} |`);
    console.log(`| \`ledger import facts.ndjson\` (its export) | ${imported.ndjson} | ${seconds(ndjsonMs)} | ${rateNdjson} | 1.00 |`);
  } finally {
    await stopServer();
    await rm(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
