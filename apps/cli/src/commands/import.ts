import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { chinaDateOf } from '@cadre-ledger/domain';
import { withLedger } from '../context';
import { PostgresEventStore, RestoreRefused } from '@cadre-ledger/event-store';
import { EXIT_REFUSED, refused, usageError } from '../exit-codes';
import { restoreFile } from '../import/restore';
import { importFile, type ImportReport } from '../import/importer';
import { WorkerValidator } from '../import/validators';
import { progressReporter } from '../import/progress';
import { table, write, writeJson } from '../output';
import { writeTemplate } from '@cadre-ledger/intake';
import { importSpreadsheet } from '../import/spreadsheet';
import { columns, t } from '../lang';

interface ImportOptions {
  onError: string;
  json?: boolean;
  batch: string;
  restore?: boolean;
  historical?: boolean;
  partial?: boolean;
  sheet?: string;
  template?: string;
  example?: boolean;
  workers: string;
}

/** Below this size a file is validated on the main thread: starting threads costs more than they save. */
const THREADED_FROM_BYTES = 4 << 20;

const SPREADSHEET = /\.(xlsx|csv)$/i;

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('bulk-load facts: HR\'s spreadsheets (.xlsx, .csv: a sheet per fact type, Chinese headers) or the export format (NDJSON), each decided by the deciders; idempotent')
    .argument('[file]', 'an .xlsx workbook or .csv file of facts, or an NDJSON file from `ledger export`; with --template, where to write the template')
    .option('--historical', 'spreadsheets: decisions already taken (API.md "Import modes"): a promotion inside a lock or without its consultation, or an excellent grade above the quota, is recorded and listed as a conflict')
    .option('--partial', 'spreadsheets: append the cadres whose rows are all valid and report the rest (default: nothing unless every row is valid)')
    .option('--sheet <name>', 'a .csv file\'s sheet (干部登记, 年度考核, 诫勉, …) when its file name is not one')
    .option('--template <format>', 'write the intake template (xlsx) to <file> instead of importing')
    .option('--example', 'with --template: include the rows of the shipped example')
    .option('--on-error <mode>', 'on a bad line: stop (import nothing after it) or skip (report it and go on)', 'stop')
    .option('--batch <lines>', 'lines validated before their events are appended, stream by stream (1..4000)', '2000')
    .option('--workers <n>', 'export format: threads that validate lines beside the one that reads and appends (0: all on one thread; default: one per core, at most 4, for a file of 4 MiB or more)', 'auto')
    .option('--restore', 'restore an export into an empty PostgreSQL store keeping recordedAt, global positions and hashes; all or nothing')
    .option('--json', 'print the final report as JSON')
    .addHelpText(
      'after',
      '\nA killed or failed import is resumed by running the same command again: events already stored\n' +
        '(same eventId and content) are skipped, so nothing is stored twice. Exit 1 when a line was refused.\n' +
        'An import stores facts anew: each gets the new store\'s recordedAt and position. --restore keeps them\n' +
        '(the recorded-time axis, the global order, every chain and tree head of the ledger exported), checks\n' +
        'every chain, and writes nothing unless everything is sound; it refuses a store that holds events.',
    )
    .action(async (file: string | undefined, options: ImportOptions) => {
      if (options.template !== undefined) {
        if (options.template !== 'xlsx') throw usageError('--template: xlsx is the format there is');
        const target = file ?? '导入模板.xlsx';
        await writeTemplate(target, { example: options.example === true });
        return write(`wrote the intake template to ${target}\n`);
      }
      if (file === undefined) throw usageError('which file? ledger import FILE.xlsx|FILE.csv|FILE.ndjson');
      if (!existsSync(file)) throw usageError(`no such file: ${file}`);
      if (SPREADSHEET.test(file)) {
        if (options.restore) throw usageError('--restore takes an export (NDJSON), not a spreadsheet');
        return importSpreadsheet(file, { mode: options.historical ? 'historical' : 'live', partial: options.partial === true, sheet: options.sheet, json: options.json === true });
      }
      if (options.onError !== 'stop' && options.onError !== 'skip') throw usageError(`--on-error ${JSON.stringify(options.onError)}: stop or skip`);
      const batch = Number(options.batch);
      if (!Number.isInteger(batch) || batch < 1 || batch > 4000) throw usageError('--batch: a whole number from 1 to 4000');
      if (options.restore) {
        if (options.onError === 'skip') throw usageError('--restore is all or nothing: --on-error skip would break the chains of what follows a skipped line');
        return restore(file, options.json === true);
      }
      // One per core, not per further core: the reading thread mostly waits (70% idle in a profile
      // with one validating thread), and on 2 cores two validating threads import 1.56× faster.
      const workers = options.workers === 'auto' ? (statSync(file).size >= THREADED_FROM_BYTES ? Math.min(4, availableParallelism()) : 0) : Number(options.workers);
      if (!Number.isInteger(workers) || workers < 0 || workers > 32) throw usageError('--workers: auto, or a whole number from 0 to 32');
      const today = chinaDateOf(new Date().toISOString());
      const report = await withLedger(async ({ store, ruleBook, config, databaseUrl }) => {
        const validator =
          workers > 0
            ? await WorkerValidator.start(workers, { databaseUrl, eventStoreConnectionString: config.eventStoreConnectionString, hashAlgorithm: store.hashAlgorithm, ruleSetsDir: config.ruleSetsDir, today })
            : undefined;
        try {
          return await importFile(store, file, { onError: options.onError as 'stop' | 'skip', ruleBook, today, chunkSize: batch, validator }, progressReporter(process.stderr.isTTY === true));
        } finally {
          await validator?.close();
        }
      });
      if (options.json) await writeJson(report);
      else await write(render(report));
      if (report.refused > 0) process.exitCode = EXIT_REFUSED;
    });
}

async function restore(file: string, json: boolean): Promise<void> {
  const report = await withLedger(async ({ store }) => {
    if (!(store instanceof PostgresEventStore)) {
      throw usageError('--restore writes recordedAt and global positions as exported, which only the PostgreSQL store accepts (EventStoreDB assigns both itself); restore into PostgreSQL, or import without --restore');
    }
    try {
      return await restoreFile(store, file, progressReporter(process.stderr.isTTY === true));
    } catch (error) {
      if (error instanceof RestoreRefused) throw refused(`nothing restored: ${error.at === undefined ? '' : `line ${error.at}: `}${error.message}`);
      throw error;
    }
  });
  if (json) return writeJson(report);
  const summary = table(['lines', 'restored', 'streams', 'last position', 'hash formats', 'seconds', 'facts/s']);
  const formats = Object.entries(report.formats).map(([format, n]) => `${format}: ${n}`).join(', ');
  summary.push([report.lines, report.events, report.streams, report.lastPosition, formats || '-', (report.elapsedMs / 1000).toFixed(1), report.factsPerSecond]);
  await write(`${summary.toString()}\nrestored with their recordedAt, positions and hashes; \`ledger verify --digest <a head saved before the export>\` proves it is the same ledger\n`);
}

function render(report: ImportReport): string {
  const summary = table(columns('importColumns'));
  summary.push([report.lines, report.imported, report.alreadyStored, report.refused, (report.elapsedMs / 1000).toFixed(1), report.factsPerSecond]);
  const stopped = report.stopped ? `${t('importStopped', report.refusedLines[0]?.line ?? 0)}\n` : '';
  return `${summary.toString()}\n${stopped}`;
}
