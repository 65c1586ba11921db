import type { Command } from 'commander';
import { catalogueMarkdown, catalogueRows } from '@cadre-ledger/policy';
import { readRuleBook } from '@cadre-ledger/platform/rule-book';
import { cliConfigFromEnv } from '../config';
import { table, write, writeJson } from '../output';

interface RulesOptions {
  json?: boolean;
  markdown?: boolean;
  set?: string;
}

/** `ledger rules`: the rule catalogue, from the rule-set data the ledger runs on. */
export function registerRules(program: Command): void {
  program
    .command('rules')
    .description('the rule catalogue: per rule set and version, every rule and period with its effect, dates, document, article, quoted text and source quality')
    .option('--set <ruleSet>', 'only this rule set (e.g. CN-SN)')
    .option('--json', 'as JSON')
    .option('--markdown', 'as Markdown (docs/RULES.md is this output)')
    .action(async (options: RulesOptions) => {
      const ruleBook = readRuleBook(cliConfigFromEnv().ruleSetsDir);
      if (options.markdown) return write(catalogueMarkdown(ruleBook));
      const rows = catalogueRows(ruleBook).filter((r) => options.set === undefined || r.ruleSet === options.set);
      if (options.json) return writeJson(rows);
      const out = table(['id', 'version', 'effect', 'from', 'to', 'document · article', 'text', 'quality']);
      for (const r of rows) out.push([r.id, r.version, r.effect, r.from, r.to ?? '—', `${r.document}\n${r.article}`, r.text, r.quality]);
      return write(`${out.toString()}\n`);
    });
}
