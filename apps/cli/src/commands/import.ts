import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { chinaDateOf } from '@cadre-ledger/domain';
import { withLedger } from '../context';
import { EXIT_REFUSED, usageError } from '../exit-codes';
import { importFile, type ImportReport } from '../import/importer';
import { progressReporter } from '../import/progress';
import { table, write, writeJson } from '../output';

interface ImportOptions {
  onError: string;
  json?: boolean;
  batch: string;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('bulk-load facts in the export format (one StoredEvent JSON a line), each validated by the deciders; resumable and idempotent by eventId')
    .argument('<file>', 'NDJSON file, e.g. from `ledger export`')
    .option('--on-error <mode>', 'on a bad line: stop (import nothing after it) or skip (report it and go on)', 'stop')
    .option('--batch <lines>', 'lines validated before their events are appended, stream by stream (1..4000)', '2000')
    .option('--json', 'print the final report as JSON')
    .addHelpText(
      'after',
      '\nA killed or failed import is resumed by running the same command again: events already stored\n' +
        '(same eventId and content) are skipped, so nothing is stored twice. Exit 1 when a line was refused.',
    )
    .action(async (file: string, options: ImportOptions) => {
      if (options.onError !== 'stop' && options.onError !== 'skip') throw usageError(`--on-error ${JSON.stringify(options.onError)}: stop or skip`);
      const batch = Number(options.batch);
      if (!Number.isInteger(batch) || batch < 1 || batch > 4000) throw usageError('--batch: a whole number from 1 to 4000');
      if (!existsSync(file)) throw usageError(`no such file: ${file}`);
      const report = await withLedger(({ store, ruleBook }) =>
        importFile(
          store,
          file,
          { onError: options.onError as 'stop' | 'skip', ruleBook, today: chinaDateOf(new Date().toISOString()), chunkSize: batch },
          progressReporter(process.stderr.isTTY === true),
        ),
      );
      if (options.json) await writeJson(report);
      else await write(render(report));
      if (report.refused > 0) process.exitCode = EXIT_REFUSED;
    });
}

function render(report: ImportReport): string {
  const summary = table(['lines', 'imported', 'already stored', 'refused', 'seconds', 'facts/s']);
  summary.push([report.lines, report.imported, report.alreadyStored, report.refused, (report.elapsedMs / 1000).toFixed(1), report.factsPerSecond]);
  const stopped = report.stopped ? `stopped at line ${report.refusedLines[0]?.line} (--on-error stop); nothing after it was imported\n` : '';
  return `${summary.toString()}\n${stopped}`;
}
