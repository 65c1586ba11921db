/**
 * Exit codes scripts can rely on (docs/cli.md, "Exit codes"):
 * 0 done; 1 the ledger said no (a hash chain is broken, an input line or fact was refused, no such
 * cadre); 2 the command itself is wrong (usage, configuration, a store that cannot be reached).
 */
export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

/** An error the CLI reports in one line, without a stack, and exits with its code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Bad flags, bad configuration, a store that cannot be opened. */
export const usageError = (message: string): CliError => new CliError(message, EXIT_USAGE);

/** Valid request, but the ledger refuses it or finds something wrong. */
export const refused = (message: string): CliError => new CliError(message, EXIT_REFUSED);
