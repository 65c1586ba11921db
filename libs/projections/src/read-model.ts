/**
 * What every read model folder shares: the units a caller may see, the comments BI users read, and
 * the array parameters the writes insert with. Each read model (eligibility/, promotion-locks/,
 * cases/, mechanism-touches/, directory/, facts/, promotion-conflicts/) keeps its row computation,
 * DDL, writes, list queries and comments together in its own folder.
 */

/** The units a caller may see: `'*'` or a list (the token's `units` claim). */
export type UnitScope = '*' | readonly string[];

/** A scope as a query parameter: null for every unit. */
export const scopeOf = (scope: UnitScope): string[] | null => (scope === '*' ? null : [...scope]);

/** A comment in Chinese and in English, for the BI analyst who finds the tables with `\d+` or a catalogue browser. */
export type Described = readonly [zh: string, en: string];

export interface TableComment {
  table: Described;
  columns: Record<string, Described>;
}

/** The `cadre_id` column's comment, the same in every table. */
export const CADRE_COLUMN: Described = ['干部编号', 'cadre id'];

export function json(value: unknown): string {
  return JSON.stringify(value);
}

/** Rows as one array per column (for `unnest`), in the order of `keys`. */
export function columns<T>(rows: readonly T[], keys: (keyof T)[]): unknown[][] {
  return keys.map((k) => rows.map((r) => r[k] ?? null));
}

export function daysBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000));
}
