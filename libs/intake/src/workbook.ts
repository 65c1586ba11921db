import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { parse as parseCsv } from 'csv-parse';
import type { Cell } from './cells';
import { UnreadableArchive, checkArchive } from './archive';
import { DEFAULT_INTAKE_LIMITS, IntakeTooLarge, megabytes, type IntakeLimits } from './limits';

/** One row of one sheet as the spreadsheet has it (row numbers as Excel shows them, from 1). */
export interface RawRow {
  sheet: string;
  row: number;
  cells: Cell[];
}

export class UnreadableWorkbook extends Error {}

/** A CSV record (one row) longer than this is not a row of facts: the file is refused, not buffered. */
const MAX_CSV_RECORD_BYTES = 1024 * 1024;

/**
 * Reads every row of every sheet of an .xlsx workbook, or of a .csv file, whose sheet is its file
 * name without the extension (诫勉.csv) unless `sheet` names it; both streamed, so that memory does
 * not grow with the file. Within the limits (limits.ts): the file's size, an archive's central
 * directory checked before anything is inflated, the rows taken; beyond one, IntakeTooLarge. A CSV
 * from Excel on a Chinese Windows is GB18030, not UTF-8: taken as UTF-8 when it has a BOM or is
 * valid UTF-8, as GB18030 otherwise.
 */
export async function* readSpreadsheet(path: string, options: { sheet?: string; originalName?: string; limits?: Partial<IntakeLimits> } = {}): AsyncGenerator<RawRow> {
  const limits = { ...DEFAULT_INTAKE_LIMITS, ...options.limits };
  const name = options.originalName ?? path;
  const extension = extname(name).toLowerCase();
  if (extension !== '.csv' && extension !== '.xlsx') throw new UnreadableWorkbook(`只能导入 .xlsx 工作簿或 .csv 文件,而不是"${extname(name) || name}"`);
  const { size } = await stat(path);
  if (size > limits.maxFileBytes) throw new IntakeTooLarge(`文件有 ${megabytes(size)},超过上限 ${megabytes(limits.maxFileBytes)};未读取`, 'maxFileBytes');
  const rows = extension === '.csv' ? readCsv(path, options.sheet ?? basename(name, extname(name))) : readXlsx(path, limits);
  let count = 0;
  for await (const row of rows) {
    if (++count > limits.maxRows) throw new IntakeTooLarge(`文件超过 ${limits.maxRows} 行的上限;请分成几个文件导入`, 'maxRows');
    yield row;
  }
}

type WorkerMessage = { rows: RawRow[] } | { done: true } | { error: string };

/**
 * The rows of an .xlsx workbook, read on a worker thread (xlsx-reader.worker.cjs: exceljs, with its
 * UTF-8 decoding mended) while this thread takes them in; a batch is asked for as each is taken.
 */
async function* readXlsx(path: string, limits: IntakeLimits): AsyncGenerator<RawRow> {
  try {
    await checkArchive(path, limits);
  } catch (error) {
    if (error instanceof UnreadableArchive) throw new UnreadableWorkbook(`无法读取工作簿(不是有效的 .xlsx 文件?):${error.message}`);
    throw error;
  }
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

/** The CSV's rows, decoded and parsed as the file is read (csv-parse's stream): a record at a time in memory. */
async function* readCsv(path: string, sheet: string): AsyncGenerator<RawRow> {
  const decoder = new TextDecoder((await isUtf8File(path)) ? 'utf-8' : 'gb18030');
  const text = Readable.from(
    (async function* () {
      for await (const chunk of createReadStream(path)) yield decoder.decode(chunk as Buffer, { stream: true });
      yield decoder.decode();
    })(),
  );
  const records = text.pipe(parseCsv({ relax_column_count: true, skip_empty_lines: false, max_record_size: MAX_CSV_RECORD_BYTES }));
  text.on('error', (error) => records.destroy(error));
  let row = 0;
  try {
    for await (const cells of records) {
      row += 1;
      yield { sheet, row, cells: cells as string[] };
    }
  } catch (error) {
    throw new UnreadableWorkbook(`无法读取 CSV 文件:${(error as Error).message}`);
  } finally {
    text.destroy();
    records.destroy();
  }
}

/** Whether the whole file is UTF-8 (a BOM is UTF-8's): decoded once, nothing kept. */
async function isUtf8File(path: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(path)) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}
