import type { Command } from 'commander';
import { configurationTable, describeConfig } from '@cadre-ledger/platform';
import { cliConfigFromEnv } from '../config';
import { table, write, writeJson } from '../output';

/**
 * `ledger config`: checks the configuration every process reads (exit 2 naming every bad
 * variable) and shows each variable's effective value, secrets hidden; `--markdown` is the
 * table of docs/configuration.md.
 */
export function registerConfig(program: Command): void {
  program
    .command('config')
    .description('check the configuration (API, projector and CLI read the same variables) and show every variable, secrets hidden')
    .option('--json', 'as JSON')
    .option('--markdown', 'the table of every variable, default and effect (docs/configuration.md)')
    .action(async (options: { json?: boolean; markdown?: boolean }) => {
      if (options.markdown) return write(`${configurationTable()}\n`);
      const config = cliConfigFromEnv();
      const rows = describeConfig(process.env);
      if (options.json) return writeJson({ variables: rows, unknownVariables: config.unknownVariables });
      const out = table(['variable', 'value', 'from']);
      for (const r of rows) out.push([r.name, r.value, r.source]);
      await write(`${out.toString()}\n`);
      for (const name of config.unknownVariables) await write(`warning: ${name} is set but nothing reads it\n`);
    });
}
