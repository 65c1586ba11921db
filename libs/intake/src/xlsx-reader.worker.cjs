// @ts-check
/**
 * Reads an .xlsx workbook on a worker thread and posts its rows to the intake in batches, so that
 * parsing the XML (most of what reading a workbook costs) runs beside the intake's own work: the
 * intake turns rows into commands and the store loads their streams while this thread reads on.
 * Plain CommonJS, as node loads a worker's file itself (no TypeScript loader on this thread); the
 * build copies it next to the compiled workbook.js.
 *
 * The archive is opened with yauzl from its central directory (checked against the limits before
 * this thread starts: archive.ts), and its parts are handed to exceljs's parsers in the order they
 * need: relationships, workbook, styles, shared strings, then each worksheet. exceljs's own
 * streaming reader takes the parts in the order of the file and writes a worksheet that comes
 * before the shared strings to a temporary file, inflated whole: a small archive could fill the
 * disk. Here nothing is written anywhere, and yauzl stops an entry that inflates beyond the size
 * its directory declares (validateEntrySizes).
 *
 * Messages out: { rows: RawRow[] } (at most BATCH rows), then { done: true } or { error: string }.
 * Messages in: 'more' after each batch is taken; at most AHEAD batches wait unread (a workbook of
 * a province never sits in memory twice).
 */
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { StringDecoder } = require('node:string_decoder');
const ExcelJS = require('exceljs');
const yauzl = require('yauzl');
const iterateStream = require('exceljs/lib/utils/iterate-stream');

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
  const zip = await openZip(workerData.path);
  try {
    const reader = /** @type {any} */ (new ExcelJS.stream.xlsx.WorkbookReader(workerData.path, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' }));
    const part = (/** @type {string} */ name) => zip.entries.get(name);
    const rels = part('xl/_rels/workbook.xml.rels');
    const book = part('xl/workbook.xml');
    if (!rels || !book) throw new Error('xl/workbook.xml is missing');
    await reader._parseRels(await zip.open(rels));
    await reader._parseWorkbook(await zip.open(book));
    const styles = part('xl/styles.xml');
    if (styles) await reader._parseStyles(await zip.open(styles));
    const strings = part('xl/sharedStrings.xml');
    if (strings) for await (const _ of reader._parseSharedStrings(await zip.open(strings)));
    reader.sharedStrings ??= [];
    const sheets = [...zip.entries.keys()]
      .map((name) => /^xl\/worksheets\/sheet(\d+)\.xml$/.exec(name))
      .filter((match) => match !== null)
      .sort((a, b) => Number(a[1]) - Number(b[1]));
    for (const [name, sheetNo] of sheets) {
      for (const { value: worksheet } of reader._parseWorksheet(iterateStream(await zip.open(zip.entries.get(name))), sheetNo)) {
        const sheet = worksheet.name;
        for await (const row of worksheet) {
          batch.push({ sheet, row: row.number, cells: Array.from(row.values.slice(1), cellValue) });
          if (batch.length >= BATCH) await flush();
        }
      }
    }
  } finally {
    zip.close();
  }
  if (batch.length > 0) await flush();
  parentPort?.postMessage({ done: true });
}

/**
 * The archive's entries by name, from its central directory, and a way to read one: yauzl inflates
 * it as it is read and fails it if it grows past its declared size.
 * @param {string} path
 */
function openZip(path) {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (/** @type {Error | null} */ error, /** @type {any} */ zip) => {
      if (error || !zip) return reject(error ?? new Error('no archive'));
      /** @type {Map<string, any>} */
      const entries = new Map();
      zip.on('entry', (/** @type {any} */ entry) => {
        entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on('error', reject);
      zip.on('end', () =>
        resolve({
          entries,
          close: () => zip.close(),
          open: (/** @type {any} */ entry) =>
            new Promise((resolveStream, rejectStream) => zip.openReadStream(entry, (/** @type {Error | null} */ e, /** @type {any} */ stream) => (e ? rejectStream(e) : resolveStream(stream)))),
        }),
      );
      zip.readEntry();
    });
  });
}

main().catch((/** @type {Error} */ error) => parentPort?.postMessage({ error: error.message ?? String(error) }));
