import { isLocalDate, type LocalDate } from '@cadre-ledger/domain';

/**
 * One cell as a spreadsheet gives it, read as what a column needs. Excel hands over numbers, dates
 * (as JS Dates, or serial numbers when the cell is not formatted as a date), booleans and text;
 * HR departments write dates as 2021/3/15, 2021-03-15, 2021.3.15 or 2021年3月15日, and yes/no as
 * 是/否. Every problem is a Chinese sentence naming what was expected.
 */
export type Cell = string | number | boolean | Date | null | undefined;
export type Parsed<T> = { value: T } | { problem: string };

export const isBlank = (cell: Cell): boolean => cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');

/** Cell text, trimmed; a number as written (an id column of digits stays digits). */
export function textOf(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return dateText(cell);
  return String(cell).trim();
}

const pad = (n: number) => String(n).padStart(2, '0');
const dateText = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;

/** Excel's day 1 is 1900-01-01, and it counts a 1900-02-29 that never was: serials from 61 on are one day ahead. */
function fromSerial(serial: number): LocalDate | null {
  if (!Number.isInteger(serial) || serial < 61 || serial > 2958465) return null;
  return dateText(new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000));
}

export function parseDate(cell: Cell): Parsed<LocalDate> {
  const wrong = { problem: '不是日期(可写作 2021-03-15、2021/3/15、2021年3月15日,或 Excel 日期)' };
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? wrong : { value: dateText(cell) };
  if (typeof cell === 'number') {
    const date = fromSerial(cell);
    return date ? { value: date } : wrong;
  }
  const text = textOf(cell).replace(/\s+/g, '');
  const match = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return /^\d{5}$/.test(text) ? parseDate(Number(text)) : wrong;
  const value = `${match[1]}-${pad(Number(match[2]))}-${pad(Number(match[3]))}`;
  return isLocalDate(value) ? { value } : { problem: `${text} 不是存在的日期` };
}

export function parseYear(cell: Cell): Parsed<number> {
  const text = textOf(cell).replace(/年$/, '');
  return /^\d{4}$/.test(text) ? { value: Number(text) } : { problem: '应为四位年份,如 2021' };
}

export function parseWhole(cell: Cell, min: number, max: number): Parsed<number> {
  const text = textOf(cell);
  const n = Number(text);
  return /^\d+$/.test(text) && n >= min && n <= max ? { value: n } : { problem: `应为 ${min} 到 ${max} 之间的整数` };
}

/** 0–1, or a percentage: 0.3, 30%, 30 (%) all mean three tenths. */
export function parseShare(cell: Cell): Parsed<number> {
  const text = textOf(cell);
  const percent = text.endsWith('%') || text.endsWith('%');
  const n = Number(text.replace(/[%%]$/, ''));
  if (text === '' || !Number.isFinite(n) || n < 0) return { problem: '应为 0 到 1 之间的比例,或百分数如 30%' };
  const share = percent || n > 1 ? n / 100 : n;
  return share <= 1 ? { value: share } : { problem: '应为 0 到 1 之间的比例,或百分数如 30%' };
}

const YES = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓']);
const NO = new Set(['否', 'n', 'no', 'false', '0', '×', '✗']);

export function parseBoolean(cell: Cell): Parsed<boolean> {
  if (typeof cell === 'boolean') return { value: cell };
  const text = textOf(cell).toLowerCase();
  if (YES.has(text)) return { value: true };
  if (NO.has(text)) return { value: false };
  return { problem: '应填"是"或"否"' };
}

/** A code of the API (excellent) or its Chinese name (优秀). */
export function parseEnum<T extends string>(cell: Cell, labels: Record<T, string>): Parsed<T> {
  const text = textOf(cell);
  for (const [code, label] of Object.entries(labels) as [T, string][]) if (text === code || text === label) return { value: code };
  return { problem: `应为以下之一:${Object.values<string>(labels).join('、')}` };
}

/** Several values in one cell, separated by 、,, ; or spaces. */
export function parseEnumList<T extends string>(cell: Cell, labels: Record<T, string>): Parsed<T[]> {
  const parts = textOf(cell).split(/[、,,;;\s]+/).filter((p) => p.length > 0);
  const values: T[] = [];
  for (const part of parts) {
    const parsed = parseEnum(part, labels);
    if ('problem' in parsed) return { problem: `"${part}" ${parsed.problem}` };
    if (!values.includes(parsed.value)) values.push(parsed.value);
  }
  return { value: values };
}
