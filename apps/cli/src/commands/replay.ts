import type { Command } from 'commander';
import { chinaDateOf, isLocalDate, isTimestamp } from '@cadre-ledger/domain';
import { withLedger } from '../context';
import { refused, usageError } from '../exit-codes';
import { write, writeJson } from '../output';
import { renderReplay } from '../replay/render';
import { replayCadre } from '@cadre-ledger/application';
import { t } from '../lang';

interface ReplayOptions {
  asOf?: string;
  knownAt?: string;
  json?: boolean;
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description("a cadre's timeline: each fact with its dates, actor, document ref and the effects it produced (rule ids, quoted clauses), then the verdict")
    .argument('<cadreId>', 'the cadre')
    .option('--as-of <date>', 'the business date of the verdict, YYYY-MM-DD (default: today in China)')
    .option('--known-at <timestamp>', 'replay the records as they stood at this RFC 3339 instant (default: now)')
    .option('--json', 'print the timeline and verdict as JSON')
    .action(async (cadreId: string, options: ReplayOptions) => {
      if (options.asOf !== undefined && !isLocalDate(options.asOf)) throw usageError(`--as-of ${JSON.stringify(options.asOf)} is not a YYYY-MM-DD date`);
      if (options.knownAt !== undefined && !isTimestamp(options.knownAt)) throw usageError(`--known-at ${JSON.stringify(options.knownAt)} is not an RFC 3339 timestamp`);
      const knownAt = options.knownAt ?? new Date().toISOString();
      const asOf = options.asOf ?? chinaDateOf(new Date().toISOString());
      const replay = await withLedger(async ({ store, ruleBook, recordAccess }) => {
        const found = await replayCadre(store, ruleBook, cadreId, { asOf, knownAt });
        // Recorded before it is shown: a replay of personal data is a read the read audit keeps.
        if (found) await recordAccess([cadreId], 'replay', 'ledger replay');
        return found;
      });
      if (!replay) throw refused(t('noCadre', cadreId, knownAt));
      if (options.json) await writeJson(replay);
      else await write(renderReplay(replay));
    });
}
