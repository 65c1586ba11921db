import { IDENTIFIER_PATTERN } from '@cadre-ledger/domain';

export class InvalidCursor extends Error {
  constructor() {
    super('cursor is not one this server issued');
    this.name = 'InvalidCursor';
  }
}

/** What each part of a keyset cursor may be: only values this server could have issued reach the database. */
export const CURSOR_PART = {
  identifier: IDENTIFIER_PATTERN,
  date: /^\d{4}-\d{2}-\d{2}$/,
  /** A date, or the empty string for a null sorted last. */
  optionalDate: /^(\d{4}-\d{2}-\d{2})?$/,
  word: /^[a-z][a-z-]{0,40}$/,
} as const;

/** The opaque `nextCursor` of a keyset page: the sort key of its last item. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify({ k: key }), 'utf8').toString('base64url');
}

/** The sort key a cursor carries, each part checked against `shape`; InvalidCursor otherwise. */
export function decodeCursor(cursor: string, shape: readonly RegExp[]): string[] {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown; after?: unknown };
    // `{after}`: the eligibility list's cursors before keys had several parts.
    const key = typeof parsed.after === 'string' ? [parsed.after] : parsed.k;
    if (Array.isArray(key) && key.length === shape.length && key.every((part, i) => typeof part === 'string' && shape[i].test(part))) return key as string[];
  } catch {
    // fall through: not ours
  }
  throw new InvalidCursor();
}

/** `limit + 1` rows asked for: the page, and whether there is another (with its cursor). */
export function page<R, T>(rows: R[], limit: number, item: (row: R) => T, key: (row: R) => string[]): { items: T[]; nextCursor: string | null } {
  const shown = rows.slice(0, limit);
  return { items: shown.map(item), nextCursor: rows.length > limit ? encodeCursor(key(shown[shown.length - 1])) : null };
}
