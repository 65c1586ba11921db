import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PostgresEventStore } from '@cadre-ledger/event-store';
import { writeFacts } from '../import.bench';
import { writeWorkbook } from '../intake.bench';
import { ROOT, type BenchRow, type BenchServer } from '../support';

/** `ledger import FILE` as a child process (the CLI as an operator runs it); its report and wall time. */
export function ledgerImport(file: string, databaseUrl: string): Promise<{ imported: number; wallMs: number }> {
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'ledger.js'), 'import', file, '--json'], {
      env: { ...process.env, DATABASE_URL: databaseUrl, LEDGER_ACTOR: 'bench' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ledger import exited ${code}: ${stdout.slice(0, 2000)}`));
      const report = JSON.parse(stdout) as { imported: number; problems?: unknown[]; refused?: number };
      if ((report.problems?.length ?? 0) > 0 || (report.refused ?? 0) > 0) return reject(new Error(`ledger import refused some of ${file}`));
      resolvePromise({ imported: report.imported, wallMs: performance.now() - started });
    });
  });
}

const csv = (value: string | number | null) => (value === null ? '' : `"${String(value).replace(/"/g, '""')}"`);

/**
 * The same rows as `COPY` takes them: the export's lines as CSV rows of a table shaped and indexed
 * like `ledger_events` (its unique keys, no trigger), built in memory first so that only the
 * server's intake is timed: the ceiling of getting these rows into PostgreSQL.
 */
async function copyRate(file: string, databaseUrl: string): Promise<{ rows: number; ms: number }> {
  const lines: string[] = [];
  let position = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    const e = JSON.parse(line) as Record<string, unknown>;
    position += 1;
    lines.push(
      [position, e.stream, e.revision, e.eventId, e.type, e.schemaVersion ?? 1, e.effectiveAt, e.actor, e.documentRef ?? null, JSON.stringify(e.data), e.prevHash, e.hash, e.hashFormat ?? 'v2-sha256', '2026-12-01T00:00:00Z']
        .map((v) => csv(v as string | number | null))
        .join(','),
    );
  }
  const client = new Client({ connectionString: databaseUrl, options: '-c synchronous_commit=on' });
  await client.connect();
  try {
    await client.query('CREATE TABLE bench_copy (LIKE ledger_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)');
    const started = performance.now();
    await pipeline(
      Readable.from(lines.map((l) => `${l}\n`)),
      client.query(copyFrom('COPY bench_copy (global_position, stream, revision, event_id, type, schema_version, effective_at, actor, document_ref, data, prev_hash, hash, hash_format, recorded_at) FROM STDIN WITH (FORMAT csv)')),
    );
    return { rows: lines.length, ms: performance.now() - started };
  } finally {
    await client.end();
  }
}

/**
 * Cell 5: `ledger import` of `BENCH_IMPORT_FACTS` (default 100,000) realistic facts in the export
 * format (the demo's mix repeated under fresh ids), and `ledger import` of a workbook of as many
 * rows, into fresh databases (process start to end), beside `COPY` of the same rows.
 */
export async function importCell(server: BenchServer): Promise<BenchRow[]> {
  const facts = Number(process.env.BENCH_IMPORT_FACTS ?? 100_000);
  const ndjson = join(server.dir, 'facts.ndjson');
  const workbook = join(server.dir, 'facts.xlsx');
  await writeFacts(ndjson, facts);
  await writeWorkbook(workbook, facts);
  const intoNdjson = await server.fresh('bench_import_ndjson');
  const nd = await ledgerImport(ndjson, intoNdjson);
  const xl = await ledgerImport(workbook, await server.fresh('bench_import_xlsx'));
  // The COPY target needs ledger_events' shape: migrate a fresh database.
  const intoCopy = await server.fresh('bench_import_copy');
  await (await PostgresEventStore.open({ connectionString: intoCopy })).close();
  const copy = await copyRate(ndjson, intoCopy);
  const copyPerSecond = (copy.rows * 1000) / copy.ms;
  return [
    { cell: '5', measure: `ledger import, ${nd.imported.toLocaleString('en-US')} facts in the export format (NDJSON)`, value: (nd.imported * 1000) / nd.wallMs, unit: 'facts/s', baseline: { name: 'COPY of the same rows', value: copyPerSecond }, target: { ratio: 0.3 } },
    { cell: '5', measure: `ledger import, a ${facts.toLocaleString('en-US')}-row workbook`, value: (xl.imported * 1000) / xl.wallMs, unit: 'facts/s', baseline: { name: 'COPY of the same number of rows', value: copyPerSecond }, target: { ratio: 0.3 } },
  ];
}
