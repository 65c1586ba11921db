import Table from 'cli-table3';

/** Writes to stdout and resolves once the bytes are handed over (pipes keep up; exit truncates nothing). */
export function write(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

export const writeJson = (value: unknown): Promise<void> => write(`${JSON.stringify(value, null, 2)}\n`);

/**
 * A table for people. No colours and no width limit: output is often pasted into reports or
 * piped to a file, and cli-table3 measures CJK text by display width so columns still line up.
 */
export function table(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [] } });
}

/** Progress and notices go to stderr so that stdout stays the command's answer. */
export const note = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
