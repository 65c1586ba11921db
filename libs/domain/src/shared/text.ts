/**
 * What stored text may hold. Names, titles and reasons are shown in HR systems, printed dossiers
 * and auditors' terminals: a control character can rewrite a terminal (ESC[2J clears it), a
 * bidirectional override can make 张三 read as another name, and a name of zero-width spaces looks
 * like no name at all. Refused, with the field named, on every command.
 */

/** Free-text fields that may span lines (newline only: LF, or CR LF). */
export const MULTILINE_FIELDS: ReadonlySet<string> = new Set(['note', 'reason', 'summary']);

// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const CONTROL = /[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F]|\r(?!\n)/;
const NEWLINE = /[\n\r]/;
/** Embeddings and overrides (U+202A–202E), isolates (U+2066–2069), and the implicit marks LRM, RLM, ALM. */
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Whitespace, format characters (zero-width space and joiners, BOM, soft hyphen) and the blank fillers. */
const INVISIBLE = /[\s\p{Cf}\u3164\u115F\u1160\uFFA0\u2800]/gu;

/** Why `value` may not be stored in `field`, or null when it may. */
export function textProblem(field: string, value: string): string | null {
  if (UNPAIRED_SURROGATE.test(value)) return 'holds an unpaired surrogate (not UTF-8 text)';
  const multiline = MULTILINE_FIELDS.has(lastSegment(field));
  if (CONTROL.test(value) || (!multiline && NEWLINE.test(value))) {
    return multiline ? 'holds a control character (only line breaks are allowed here)' : 'holds a control character';
  }
  if (BIDI.test(value)) return 'holds a bidirectional control character (U+202A–202E, U+2066–2069, U+200E, U+200F, U+061C)';
  if (value.length > 0 && value.replace(INVISIBLE, '').length === 0) return 'looks empty: it holds only spaces or invisible characters';
  return null;
}

/** The first string anywhere inside `value` that may not be stored, with its path. */
export function firstTextProblem(value: unknown, path: string): { field: string; message: string } | null {
  if (typeof value === 'string') {
    const message = textProblem(path, value);
    return message ? { field: path, message } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstTextProblem(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) {
      const found = firstTextProblem(member, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

function lastSegment(path: string): string {
  const dot = path.lastIndexOf('.');
  return (dot < 0 ? path : path.slice(dot + 1)).replace(/\[\d+\]$/, '');
}

/** Text made safe to print on a terminal: control and bidirectional characters shown as \u{…} escapes. */
export function printable(value: string): string {
  // eslint-disable-next-line no-control-regex -- these are the characters being escaped
  return value.replace(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}
