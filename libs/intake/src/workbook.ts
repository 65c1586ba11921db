import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from './exceljs-utf8';
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
  let reader: AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader>;
  try {
    reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' }) as unknown as AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader>;
    for await (const worksheet of reader) {
      const sheetName = (worksheet as unknown as { name: string }).name;
      for await (const row of worksheet as unknown as AsyncIterable<ExcelJS.Row>) {
        const values = row.values as unknown[];
        yield { sheet: sheetName, row: row.number, cells: values.slice(1).map(cellValue) };
      }
    }
  } catch (error) {
    if (error instanceof UnreadableWorkbook) throw error;
    throw new UnreadableWorkbook(`无法读取工作簿(不是有效的 .xlsx 文件?):${(error as Error).message}`);
  }
}

/** Rich text, formulas, hyperlinks and errors as the value a person sees in the cell. */
function cellValue(value: unknown): Cell {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date || typeof value !== 'object') return value as Cell;
  const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string };
  if (v.richText) return v.richText.map((part) => part.text).join('');
  if ('result' in v) return cellValue(v.result);
  if (typeof v.text === 'string') return v.text;
  if (v.error) return v.error;
  return String(value);
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
