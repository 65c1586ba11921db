// @ts-check
/**
 * Reads an .xlsx workbook on a worker thread and posts its rows to the intake in batches, so that
 * parsing the XML (most of what reading a workbook costs) runs beside the intake's own work: the
 * intake turns rows into commands and the store loads their streams while this thread reads on.
 * Plain CommonJS, as node loads a worker's file itself (no TypeScript loader on this thread); the
 * build copies it next to the compiled workbook.js.
 *
 * Messages out: { rows: RawRow[] } (at most BATCH rows), then { done: true } or { error: string }.
 * Messages in: 'more' after each batch is taken; at most AHEAD batches wait unread (a workbook of
 * a province never sits in memory twice).
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { StringDecoder } = require('node:string_decoder');
const ExcelJS = require('exceljs');

const BATCH = 1000;
const AHEAD = 4;

/**
 * exceljs 4.4's streaming reader decodes each chunk of a zip entry as UTF-8 on its own, so a
 * character whose bytes straddle two chunks (in a workbook of a province, every few thousand rows
 * of Chinese) comes out as U+FFFD (exceljs issues #2063, #2084, #2316; fixes proposed, not
 * released). Its decoder passes strings through untouched, so the entries it reads Chinese from
 * (shared strings, the workbook's sheet names, worksheets) are handed over as strings decoded
 * across chunk boundaries. Applied once, on the class every reader is made from.
 */
function mendUtf8() {
  const proto = ExcelJS.stream.xlsx.WorkbookReader.prototype;
  if (proto.__utf8Fixed) return;
  /** @param {AsyncIterable<Buffer | string>} chunks */
  async function* decoded(chunks) {
    const decoder = new StringDecoder('utf8');
    for await (const chunk of chunks) {
      const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
      if (text.length > 0) yield text;
    }
    const rest = decoder.end();
    if (rest.length > 0) yield rest;
  }
  const worksheet = proto._parseWorksheet;
  proto._parseWorksheet = function (/** @type {AsyncIterable<Buffer>} */ iterator, /** @type {unknown} */ sheetNo) {
    return worksheet.call(this, decoded(iterator), sheetNo);
  };
  for (const method of ['_parseSharedStrings', '_parseWorkbook']) {
    const original = proto[method];
    proto[method] = function (/** @type {{ setEncoding(e: string): void }} */ entry, /** @type {unknown[]} */ ...rest) {
      entry.setEncoding('utf8');
      return original.call(this, entry, ...rest);
    };
  }
  proto.__utf8Fixed = true;
}

/** Rich text, formulas, hyperlinks and errors as the value a person sees in the cell. */
function cellValue(/** @type {any} */ value) {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date || typeof value !== 'object') return value;
  if (value.richText) return value.richText.map((/** @type {{ text: string }} */ part) => part.text).join('');
  if ('result' in value) return cellValue(value.result);
  if (typeof value.text === 'string') return value.text;
  if (value.error) return value.error;
  return String(value);
}

async function main() {
  mendUtf8();
  let credit = AHEAD;
  /** @type {(() => void) | undefined} */
  let wake;
  parentPort?.on('message', () => {
    credit += 1;
    wake?.();
  });
  /** @type {unknown[]} */
  let batch = [];
  const flush = async () => {
    while (credit === 0) await new Promise((resolve) => (wake = () => resolve(undefined)));
    credit -= 1;
    parentPort?.postMessage({ rows: batch });
    batch = [];
  };
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(workerData.path, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' });
  for await (const worksheet of /** @type {AsyncIterable<any>} */ (/** @type {unknown} */ (reader))) {
    const sheet = worksheet.name;
    for await (const row of worksheet) {
      batch.push({ sheet, row: row.number, cells: Array.from(row.values.slice(1), cellValue) });
      if (batch.length >= BATCH) await flush();
    }
  }
  if (batch.length > 0) await flush();
  parentPort?.postMessage({ done: true });
}

main().catch((/** @type {Error} */ error) => parentPort?.postMessage({ error: error.message ?? String(error) }));
