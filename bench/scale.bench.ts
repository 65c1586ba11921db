/**
 * `npm run bench:scale`: the ledger at the size of a province and beyond. Generates
 * `BENCH_SCALE_CADRES` cadres (default 1,000,000) with every fact the demo generator gives them
 * (its mix of registrations, reviews, commendations, cautions, sanctions, tolerance and adjustment
 * cases, units and their findings, about 20 events a cadre), in the export format; `ledger import`s
 * them into a fresh database; `ledger rebuild`s the read models from them; then runs cells 3 (as-of
 * eligibility over HTTP beside the raw read) and 4 (the list and the directory beside the same SQL)
 * of `npm run bench` on what was built, with cadres, units and names sampled from it.
 *
 * Prints a table like `npm run bench`'s, the time of each phase, the database's size, and what a
 * run at a million cadres would take at the rates measured (the extrapolation, for smaller runs).
 * Writes the figures to `bench/results/scale-<cadres>.json`. Not in CI: a million cadres took 80
 * minutes on two cores. `DATABASE_URL` names a server of your own instead of the embedded one
 * (its data directory then needs room: about 2.2 GB per 100,000 cadres, and the generated file
 * about 1 GB per 100,000 in the system's temporary directory); `BENCH_SECONDS` (default 10) is the
 * measured time of each load.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { measureEligibility } from './cells/eligibility';
import { ledgerImport } from './cells/import';
import { measureLists } from './cells/lists';
import { ledgerRebuild } from './cells/rebuild';
import { writeFacts } from './import.bench';
import { benchServer, ROOT, table, type BenchRow } from './support';

const CADRES = Number(process.env.BENCH_SCALE_CADRES ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BASE_CADRES = Number(process.env.BENCH_BASE_CADRES ?? 200);
const MILLION = 1_000_000;

const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
const pick = <T>(values: readonly T[]) => values[Math.floor(Math.random() * values.length)];

async function main(): Promise<void> {
  if (!Number.isInteger(CADRES) || CADRES < BASE_CADRES) throw new Error(`BENCH_SCALE_CADRES must be a whole number of at least ${BASE_CADRES}`);
  const server = await benchServer();
  const phases: { phase: string; ms: number; note: string }[] = [];
  const rows: BenchRow[] = [];
  const started = Date.now();
  try {
    const file = join(server.dir, 'facts.ndjson');
    log(`generating ${CADRES.toLocaleString('en-US')} cadres…`);
    let t = performance.now();
    const generated = await writeFacts(file, Number.POSITIVE_INFINITY, { copies: Math.ceil(CADRES / BASE_CADRES) });
    const cadres = generated.copies * generated.baseCadres;
    const fileBytes = (await stat(file)).size;
    phases.push({ phase: 'generate', ms: performance.now() - t, note: `${generated.written.toLocaleString('en-US')} facts of ${cadres.toLocaleString('en-US')} cadres (${(generated.base / generated.baseCadres).toFixed(1)} facts a cadre, units and their facts included), ${(fileBytes / 2 ** 30).toFixed(2)} GiB` });
    log(phases[phases.length - 1].note);

    const url = await server.fresh('bench_scale');
    log('ledger import…');
    const imported = await ledgerImport(file, url);
    phases.push({ phase: 'ledger import', ms: imported.wallMs, note: `${Math.round((imported.imported * 1000) / imported.wallMs).toLocaleString('en-US')} facts/s, process start to end` });
    rows.push({ cell: 'S5', measure: `ledger import of ${imported.imported.toLocaleString('en-US')} facts`, value: (imported.imported * 1000) / imported.wallMs, unit: 'facts/s' });
    log(phases[phases.length - 1].note);

    log('ledger rebuild…');
    const rebuilt = await ledgerRebuild(url);
    phases.push({ phase: 'ledger rebuild', ms: rebuilt.elapsedMs, note: `${Math.round((rebuilt.events * 1000) / rebuilt.elapsedMs).toLocaleString('en-US')} events/s, peak RSS ${rebuilt.maxRssMiB} MiB` });
    rows.push(
      { cell: 'S6', measure: `ledger rebuild of ${rebuilt.events.toLocaleString('en-US')} events`, value: (rebuilt.events * 1000) / rebuilt.elapsedMs, unit: 'events/s' },
      { cell: 'S8', measure: 'ledger rebuild peak RSS', value: rebuilt.maxRssMiB, unit: 'MiB' },
    );
    log(phases[phases.length - 1].note);

    const pool = new Pool({ connectionString: url, max: 2 });
    let sample: { cadreIds: string[]; unitIds: string[]; names: { pinyin: string; initials: string }[]; size: string };
    try {
      await pool.query('ANALYZE');
      const cadreIds = (await pool.query<{ cadre_id: string }>('SELECT cadre_id FROM reporting.cadres ORDER BY random() LIMIT 5000')).rows.map((r) => r.cadre_id);
      const unitIds = (await pool.query<{ unit_id: string }>('SELECT DISTINCT unit_id FROM reporting.cadres WHERE unit_id IS NOT NULL')).rows.map((r) => r.unit_id);
      const names = (await pool.query<{ pinyin: string; initials: string }>('SELECT name_pinyin AS pinyin, name_initials AS initials FROM reporting.cadres ORDER BY random() LIMIT 2000')).rows;
      const size = (await pool.query<{ size: string }>('SELECT pg_size_pretty(pg_database_size(current_database())) AS size')).rows[0].size;
      sample = { cadreIds, unitIds, names, size };
    } finally {
      await pool.end();
    }
    log(`cells 3 and 4 on ${cadres.toLocaleString('en-US')} cadres in ${sample.unitIds.length.toLocaleString('en-US')} units…`);
    t = performance.now();
    rows.push(...(await measureEligibility(url, [{ label: `the demo's histories at ${cadres.toLocaleString('en-US')} cadres`, cadreIds: sample.cadreIds }], SECONDS, 'S3')));
    rows.push(
      ...(await measureLists(url, { cadres, unitIds: sample.unitIds, initials: () => pick(sample.names).initials, fullName: () => pick(sample.names).pinyin }, SECONDS, 'S4')),
    );
    phases.push({ phase: 'cells 3 and 4', ms: performance.now() - t, note: `database ${sample.size}` });

    const perCadre = generated.written / cadres;
    const lines = [
      `${cpus().length} cores, Node ${process.version}, load ${loadavg()[0].toFixed(1)} at the end, ${minutes(Date.now() - started)} in all`,
      '',
      '| phase | time | |',
      '|---|---|---|',
      ...phases.map((p) => `| ${p.phase} | ${minutes(p.ms)} | ${p.note} |`),
      '',
      table(rows),
    ];
    if (cadres < MILLION) {
      const importRate = (imported.imported * 1000) / imported.wallMs;
      const rebuildRate = (rebuilt.events * 1000) / rebuilt.elapsedMs;
      lines.push(
        '',
        `At a million cadres (${Math.round(perCadre * MILLION).toLocaleString('en-US')} facts) at these rates: import ${minutes((perCadre * MILLION * 1000) / importRate)}, rebuild ${minutes((perCadre * MILLION * 1000) / rebuildRate)}.`,
      );
    }
    console.log(lines.join('\n'));
    await mkdir(join(ROOT, 'bench', 'results'), { recursive: true });
    await writeFile(join(ROOT, 'bench', 'results', `scale-${cadres}.json`), `${JSON.stringify({ at: new Date().toISOString(), cores: cpus().length, cadres, facts: generated.written, phases, rows }, null, 2)}\n`);
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
