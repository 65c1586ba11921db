import Table from 'cli-table3';
import { printable } from '@cadre-ledger/domain';

/** Writes to stdout and resolves once the bytes are handed over (pipes keep up; exit truncates nothing). */
export function write(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * JSON escapes control characters itself, but not the bidirectional ones (U+202E would reorder a
 * terminal line): those are written as \uXXXX, which any JSON reader decodes back.
 */
export const writeJson = (value: unknown): Promise<void> =>
  write(`${JSON.stringify(value, null, 2).replace(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`);

/** A cell as a terminal should show it: stored text may hold what a terminal obeys (ESC[2J clears it). */
const cell = (value: unknown): string => String(value).split('\n').map(printable).join('\n');

/**
 * A table for people. No colours and no width limit: output is often pasted into reports or
 * piped to a file, and cli-table3 measures CJK text by display width so columns still line up.
 */
export function table(head: string[]): Table.Table {
  const out = new Table({ head, style: { head: [], border: [] } });
  const push = out.push.bind(out);
  out.push = (...rows: Table.HorizontalTableRow[]) => push(...rows.map((row) => (Array.isArray(row) ? row.map((c) => (typeof c === 'object' && c !== null ? c : cell(c))) : row)));
  return out;
}

/** Progress and notices go to stderr so that stdout stays the command's answer. */
export const note = (line: string): void => {
  process.stderr.write(`${line.split('\n').map(printable).join('\n')}\n`);
};
