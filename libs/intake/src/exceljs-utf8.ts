import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';

/**
 * exceljs 4.4's streaming reader decodes each chunk of a zip entry as UTF-8 on its own, so a
 * character whose bytes straddle two chunks (in a workbook of a province, every few thousand rows
 * of Chinese) comes out as U+FFFD (exceljs issues #2063, #2084, #2316; fixes proposed, not
 * released). Its decoder passes strings through untouched, so the entries it reads Chinese from
 * (shared strings, the workbook's sheet names, worksheets) are handed over as strings decoded
 * across chunk boundaries. Applied once, on the class every reader is made from.
 */
type Reader = Record<string, (...args: unknown[]) => unknown>;
const proto = (ExcelJS.stream.xlsx.WorkbookReader as unknown as { prototype: Reader & { __utf8Fixed?: boolean } }).prototype;

async function* decoded(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}

if (!proto.__utf8Fixed) {
  const worksheet = proto._parseWorksheet;
  proto._parseWorksheet = function (this: unknown, iterator: unknown, sheetNo: unknown) {
    return worksheet.call(this, decoded(iterator as AsyncIterable<Buffer>), sheetNo);
  };
  for (const method of ['_parseSharedStrings', '_parseWorkbook']) {
    const original = proto[method];
    proto[method] = function (this: unknown, entry: unknown, ...rest: unknown[]) {
      (entry as { setEncoding(encoding: string): void }).setEncoding('utf8');
      return original.call(this, entry, ...rest);
    };
  }
  proto.__utf8Fixed = true;
}

export default ExcelJS;
