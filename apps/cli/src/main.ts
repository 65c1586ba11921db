import { Command, CommanderError } from 'commander';
import { registerAudit } from './commands/audit';
import { registerConfig } from './commands/config';
import { registerMigrate } from './commands/migrate';
import { registerDemo } from './commands/demo';
import { registerDigest } from './commands/digest';
import { registerExport } from './commands/export';
import { registerImport } from './commands/import';
import { registerProof } from './commands/proof';
import { registerRebuild } from './commands/rebuild';
import { registerReplay } from './commands/replay';
import { registerRules } from './commands/rules';
import { registerToken } from './commands/token';
import { registerVerify } from './commands/verify';
import { registerKafka } from './commands/kafka';
import { registerWitness } from './commands/witness';
import { CliError, EXIT_OK, EXIT_REFUSED, EXIT_USAGE } from './exit-codes';
import { isDomainError, zhDetail } from '@cadre-ledger/domain';
import { lang, setLang, t, takeLanguage } from './lang';

/** `ledger`: the auditors' and operators' command line (ARCHITECTURE.md, "Shape"). */
export function buildProgram(): Command {
  const program = new Command('ledger')
    .description('cadre-ledger for auditors and operators: replay, verify, audit, digest, proof, export, import, token, demo, rules, config, migrate, kafka, witness (every command: --lang zh|en, else the locale)')
    // Commander exits 1 on a usage error; ours is 2 (1 means the ledger refused something).
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  registerReplay(program);
  registerVerify(program);
  registerAudit(program);
  registerDigest(program);
  registerProof(program);
  registerExport(program);
  registerImport(program);
  registerRebuild(program);
  registerToken(program);
  registerDemo(program);
  registerRules(program);
  registerConfig(program);
  registerMigrate(program);
  registerKafka(program);
  registerWitness(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  const language = takeLanguage(argv, process.env);
  setLang(language.lang);
  if (language.invalid !== undefined) {
    process.stderr.write(`${t('error')} ${t('badLang', language.invalid)}\n`);
    return EXIT_USAGE;
  }
  try {
    await buildProgram().parseAsync(language.argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version arrive here too, as "errors" with exit code 0.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      process.stderr.write(`${t('error')} ${error.message}\n`);
      return error.exitCode;
    }
    if (isDomainError(error)) {
      process.stderr.write(`${t('error')} ${lang() === 'zh' ? zhDetail(error) : error.message} (${error.code})\n`);
      return EXIT_REFUSED;
    }
    process.stderr.write(`ledger: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_USAGE;
  }
}

/** Runs the CLI and exits with its code once stdout is flushed (bin/ledger.js calls this). */
export function run(): void {
  void main().then((code) => {
    // Open handles (a pool draining, an embedded server's watchers) must not keep the process alive.
    process.stdout.write('', () => process.exit(code));
  });
}

if (require.main === module) run();
