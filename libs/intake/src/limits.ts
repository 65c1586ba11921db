/**
 * The bounds of one intake, whoever reads the file (the API's import job, `ledger import`, the
 * annotated workbook of a later reader): how big a file may be, how far an .xlsx archive may
 * inflate, how many rows are taken, and how many problems are kept. Each is configurable
 * (LEDGER_IMPORT_*, libs/platform/src/config.ts); a file beyond one is refused with the reason,
 * never read on into memory or onto disk.
 */
export interface IntakeLimits {
  /** The file as uploaded or given (.csv or .xlsx). */
  maxFileBytes: number;
  /** One entry of an .xlsx archive once inflated (a worksheet, the shared strings). */
  maxEntryBytes: number;
  /** Every entry of an .xlsx archive together, inflated. */
  maxArchiveBytes: number;
  /** How many times larger than its compressed size an entry may inflate (a zip bomb: thousands). */
  maxCompressionRatio: number;
  /** Data rows taken from one file. */
  maxRows: number;
  /** Problems listed in a report: the first ones, and a count of the rest. */
  maxProblems: number;
}

export const DEFAULT_INTAKE_LIMITS: IntakeLimits = {
  maxFileBytes: 50 * 1024 * 1024,
  maxEntryBytes: 256 * 1024 * 1024,
  maxArchiveBytes: 512 * 1024 * 1024,
  maxCompressionRatio: 100,
  maxRows: 500_000,
  maxProblems: 1000,
};

/** A file beyond a limit: the intake stops, appends nothing, and says which limit (Chinese). */
export class IntakeTooLarge extends Error {
  constructor(
    message: string,
    /** Which limit: what a caller maps to its own answer (a 413 at upload, a failed job). */
    readonly limit: keyof IntakeLimits,
  ) {
    super(message);
  }
}

export const megabytes = (bytes: number): string => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * The problems of one intake, bounded: the first `max` kept in order, the rest only counted. The
 * report, the CLI's table and an annotated workbook show the same first ones.
 */
export class ProblemList<P> {
  readonly kept: P[] = [];
  private total = 0;

  constructor(readonly max: number) {}

  add(problem: P): void {
    this.total += 1;
    if (this.kept.length < this.max) this.kept.push(problem);
  }

  /** Every problem found, kept or not. */
  get count(): number {
    return this.total;
  }

  /** Found but not kept. */
  get notListed(): number {
    return this.total - this.kept.length;
  }
}
