/**
 * `npm run bench`: every benchmark in one run, on one PostgreSQL server, one table. Each figure is
 * printed beside its baseline, measured in the same run on the same server, and the ratio, which is
 * what docs/benchmarks.md quotes (absolute figures move with this machine's load; ratios much less).
 *
 * Cells: 1 appends (beside plain INSERT and Emmett's PostgreSQL store), 2 HTTP commands, 3 as-of
 * eligibility over HTTP (beside the raw SQL read), 4 the read-model list and the directory at a
 * million cadres, 5 import (NDJSON and a workbook, beside COPY), 6 rebuild (beside the same rows
 * computed in memory), 7 lag (append → read model, append → Kafka at 200 writes/s), 8 memory
 * (peak RSS of the API under cell 3 and of a rebuild, reported by those cells).
 *
 * `BENCH_CELLS=1,3` runs some cells only; `BENCH_SECONDS` (default 10) is the measured time of
 * each load cell; `DATABASE_URL` a server of your own instead of the embedded one; sizes:
 * `BENCH_CADRES` (cell 3), `BENCH_LIST_CADRES` (4), `BENCH_IMPORT_FACTS` (5),
 * `BENCH_REBUILD_CADRES` (6); `BENCH_API_PROFILE=DIR` writes a CPU profile of the API processes.
 * The table is also written as JSON to `bench/results/latest.json`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { benchServer, ROOT, table, type BenchRow, type BenchServer } from './support';
import { appendsCell } from './cells/appends';
import { commandsCell } from './cells/commands';
import { eligibilityCell } from './cells/eligibility';
import { importCell } from './cells/import';
import { rebuildCell } from './cells/rebuild';
import { lagCell } from './cells/lag';
import { listsCell } from './cells/lists';

type Cell = (server: BenchServer, seconds: number) => Promise<BenchRow[]>;

const CELLS: Record<string, { title: string; run: Cell }> = {
  '1': { title: 'appends: the store, plain INSERT, Emmett', run: appendsCell },
  '2': { title: 'HTTP commands', run: commandsCell },
  '3': { title: 'as-of eligibility over HTTP', run: eligibilityCell },
  '4': { title: 'the read-model list and the directory at a million cadres', run: listsCell },
  '5': { title: 'import: NDJSON and a workbook, beside COPY', run: importCell },
  '6': { title: 'rebuild, beside the same rows computed in memory', run: rebuildCell },
  '7': { title: 'lag: append → read model, append → Kafka, at 200 writes/s', run: lagCell },
};

async function main(): Promise<void> {
  const selected = (process.env.BENCH_CELLS ?? Object.keys(CELLS).join(',')).split(',').map((c) => c.trim());
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const server = await benchServer();
  const rows: BenchRow[] = [];
  const started = Date.now();
  try {
    for (const key of selected) {
      const cell = CELLS[key];
      if (!cell) throw new Error(`no cell ${key}; cells: ${Object.keys(CELLS).join(', ')}`);
      process.stderr.write(`cell ${key}: ${cell.title}…\n`);
      const cellRows = await cell.run(server, seconds);
      rows.push(...cellRows);
      process.stderr.write(`${table(cellRows)}\n`);
    }
  } finally {
    await server.stop();
  }
  console.log(`\n${cpus().length} cores, Node ${process.version}, load ${loadavg()[0].toFixed(1)} at the end, ${Math.round((Date.now() - started) / 1000)} s in all\n`);
  console.log(table(rows));
  await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
  await writeFile(join(ROOT, 'bench', 'results', 'latest.json'), `${JSON.stringify({ at: new Date().toISOString(), cores: cpus().length, rows }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
