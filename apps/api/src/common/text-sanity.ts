import type { NextFunction, Request, Response } from 'express';
import { ValidationProblem } from './problem';

/** U+0000 (PostgreSQL text refuses it) and unpaired surrogates (not UTF-8; the hash chain would break). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function firstUnstorable(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = firstUnstorable(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) {
      if (UNSTORABLE.test(key)) return path ? `${path}.${key}` : key;
      const found = firstUnstorable(member, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * Express middleware after the JSON parser: text that PostgreSQL cannot store as sent is the
 * client's 400, not a database error on the way to the store.
 */
export function refuseUnstorableText(req: Request, _res: Response, next: NextFunction): void {
  const field = firstUnstorable(req.body, '');
  if (field !== undefined) {
    next(new ValidationProblem([{ field: field || '(body)', message: 'must not contain U+0000 or unpaired surrogates' }]));
    return;
  }
  next();
}
