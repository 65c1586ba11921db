import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Cell } from './cells';

/** One row of one sheet as the spreadsheet has it (row numbers as Excel shows them, from 1). */
export interface RawRow {
  sheet: string;
  row: number;
  cells: Cell[];
}

export class UnreadableWorkbook extends Error {}

/**
 * Reads every row of every sheet of an .xlsx workbook (streaming: a workbook of a province's
 * history never sits in memory whole), or of a .csv file, whose sheet is its file name without the
 * extension (诫勉.csv) unless `sheet` names it. A CSV from Excel on a Chinese Windows is GB18030, not
 * UTF-8: taken as UTF-8 when it has a BOM or is valid UTF-8, as GB18030 otherwise.
 */
export async function* readSpreadsheet(path: string, options: { sheet?: string; originalName?: string } = {}): AsyncGenerator<RawRow> {
  const name = options.originalName ?? path;
  const extension = extname(name).toLowerCase();
  if (extension === '.csv') {
    yield* readCsv(await readFile(path), options.sheet ?? basename(name, extname(name)));
    return;
  }
  if (extension !== '.xlsx') throw new UnreadableWorkbook(`只能导入 .xlsx 工作簿或 .csv 文件,而不是"${extname(name) || name}"`);
  yield* readXlsx(path);
}

type WorkerMessage = { rows: RawRow[] } | { done: true } | { error: string };

/**
 * The rows of an .xlsx workbook, read on a worker thread (xlsx-reader.worker.cjs: exceljs, with its
 * UTF-8 decoding mended) while this thread takes them in; a batch is asked for as each is taken.
 */
async function* readXlsx(path: string): AsyncGenerator<RawRow> {
  const worker = new Worker(join(__dirname, 'xlsx-reader.worker.cjs'), { workerData: { path } });
  const inbox: WorkerMessage[] = [];
  let wake: (() => void) | undefined;
  const arrive = (message: WorkerMessage) => {
    inbox.push(message);
    wake?.();
  };
  worker.on('message', arrive);
  worker.on('error', (error) => arrive({ error: error.message }));
  worker.on('exit', (code) => arrive(code === 0 ? { done: true } : { error: `the reading thread stopped (${code})` }));
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const message = inbox.shift()!;
      if ('error' in message) throw new UnreadableWorkbook(`无法读取工作簿(不是有效的 .xlsx 文件?):${message.error}`);
      if ('done' in message) return;
      worker.postMessage('more');
      yield* message.rows;
    }
  } finally {
    await worker.terminate();
  }
}

function* readCsv(bytes: Buffer, sheet: string): Generator<RawRow> {
  let text: string;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bom ? bytes.subarray(3) : bytes);
  } catch {
    text = new TextDecoder('gb18030').decode(bytes);
  }
  let records: string[][];
  try {
    records = parseCsv(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    throw new UnreadableWorkbook(`无法读取 CSV 文件:${(error as Error).message}`);
  }
  let row = 0;
  for (const cells of records) {
    row += 1;
    yield { sheet, row, cells };
  }
}
