/**
 * `npm run bench:intake`: a workbook of `BENCH_ROWS` (default 100,000) rows taken in by
 * `ledger import FILE.xlsx` (the CLI, a child process), beside `ledger import` of the same facts
 * in the export format (NDJSON), into fresh databases on the same PostgreSQL server with durable
 * commits. The facts: `BENCH_ROWS / 10` cadres registered, each with nine facts across the sheets
 * (annual reviews, commendations, cautions, talks, sanctions, transfers). The NDJSON file is the
 * export of the store the workbook filled, so both runs decide and store exactly the same events.
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
const LEDGER = resolve(__dirname, '..', 'bin', 'ledger.js');

async function writeWorkbook(path: string): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: false });
  const sheet = (name: string) => {
    const ws = workbook.addWorksheet(name);
    ws.addRow(SHEETS.find((s) => s.name === name)!.columns.map((c) => c.header)).commit();
    return ws;
  };
  const cadres = Math.floor(ROWS / 10);
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
    const child = spawn(process.execPath, [LEDGER, ...args], { env: { ...process.env, DATABASE_URL: databaseUrl, LEDGER_ACTOR: 'bench' }, stdio: ['ignore', 'pipe', 'inherit'] });
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
    const intoWorkbook = withDatabase(serverUrl, 'bench_intake_xlsx');
    const intoNdjson = withDatabase(serverUrl, 'bench_intake_ndjson');
    for (const db of ['bench_intake_xlsx', 'bench_intake_ndjson']) {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${db}`);
      await client.end();
      await ensureDatabase(serverUrl, db);
    }
    const intake = await ledger(['import', workbookPath, '--json'], intoWorkbook);
    const report = JSON.parse(intake.output) as { rows: number; imported: number; problems: unknown[]; rowsPerSecond: number };
    if (report.problems.length > 0) throw new Error(`the workbook had problems: ${JSON.stringify(report.problems.slice(0, 3))}`);
    await ledger(['export'], intoWorkbook, exportPath);
    const ndjson = await ledger(['import', exportPath, '--json'], intoNdjson);
    const ndjsonReport = JSON.parse(ndjson.output) as { lines: number; imported: number; factsPerSecond: number };
    const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000));
    const rowsXlsx = perSecond(report.imported, intake.wallMs);
    const rowsNdjson = perSecond(ndjsonReport.imported, ndjson.wallMs);
    console.log(`\n${cpus().length} cores, load ${loadavg()[0].toFixed(1)}; workbook ${(await stat(workbookPath)).size >> 20} MiB, export ${(await stat(exportPath)).size >> 20} MiB\n`);
    console.log('| path | facts | wall s (CLI, start to end) | facts/s | ratio to NDJSON |');
    console.log('|---|---|---|---|---|');
    console.log(`| \`ledger import facts.xlsx\` (${rows} rows) | ${report.imported} | ${(intake.wallMs / 1000).toFixed(1)} | ${rowsXlsx} | ${(rowsXlsx / rowsNdjson).toFixed(2)} |`);
    console.log(`| \`ledger import facts.ndjson\` (its export) | ${ndjsonReport.imported} | ${(ndjson.wallMs / 1000).toFixed(1)} | ${rowsNdjson} | 1.00 |`);
  } finally {
    await stopServer();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
