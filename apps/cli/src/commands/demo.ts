import type { Command } from 'commander';
import { withLedger } from '../context';
import { refused, usageError } from '../exit-codes';
import { DemoAlreadyLoaded, loadDemo } from '../demo/load';
import { note, table, write, writeJson } from '../output';

interface DemoOptions {
  cadres: string;
  seed: string;
  json?: boolean;
}

const wholeNumber = (flag: string, value: string, min: number, max: number): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw usageError(`${flag} ${JSON.stringify(value)}: a whole number from ${min} to ${max}`);
  return n;
};

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('load a synthetic, realistic dataset (陕西, 张家界, national; reviews, commendations, cautions, sanctions, tolerance cases, adjustments), the same for the same seed')
    .option('--cadres <n>', 'how many cadres', '60')
    .option('--seed <s>', 'seed of the generator; the same seed gives the same events', '7')
    .option('--json', 'print the report as JSON')
    .action(async (options: DemoOptions) => {
      const cadres = wholeNumber('--cadres', options.cadres, 1, 100_000);
      const seed = wholeNumber('--seed', options.seed, 0, 2 ** 31 - 1);
      const report = await withLedger(async ({ store, ruleBook }) => {
        try {
          return await loadDemo(store, ruleBook, {
            cadres,
            seed,
            onCadre: (done) => {
              if (done % 50 === 0 || done === cadres) note(`demo: ${done}/${cadres} cadres written`);
            },
          });
        } catch (error) {
          if (error instanceof DemoAlreadyLoaded) throw refused(error.message);
          throw error;
        }
      });
      if (options.json) return writeJson(report);
      const summary = table(['seed', 'cadres', 'units', 'events']);
      summary.push([report.seed, report.cadres, report.units, report.events]);
      await write(`${summary.toString()}\nTry: npx ledger replay ${report.sampleCadreIds[0]}\n`);
    });
}
