import type { NextFunction, Request, Response } from 'express';
import { ValidationProblem } from './problem';

/** U+0000 (PostgreSQL text refuses it) and unpaired surrogates (not UTF-8; the hash chain would break). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** No request of API.md nests deeper than a few levels; a body that does is not one of them. */
export const MAX_BODY_DEPTH = 16;

/**
 * Member names that are never fields of a request: JSON.parse makes them own properties, and the
 * DTO layer would silently drop them (API.md: an unknown field is a 400).
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

type Problem = { field: string; message: string };

/** Walks the parsed body without recursion (a 6 KB body can nest thousands of levels). */
function firstProblem(body: unknown): Problem | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) return { field: path || '(body)', message: 'must not contain U+0000 or unpaired surrogates' };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return { field: path || '(body)', message: `nests deeper than ${MAX_BODY_DEPTH} levels` };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      const field = path ? `${path}.${key}` : key;
      if (UNSTORABLE.test(key)) return { field, message: 'must not contain U+0000 or unpaired surrogates' };
      if (FORBIDDEN_KEYS.has(key)) return { field, message: 'is not a field of this request' };
      stack.push({ value: (value as Record<string, unknown>)[key], path: field, depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * Express middleware after the JSON parser: text that PostgreSQL cannot store as sent, bodies
 * nested deeper than any request is, and prototype member names are the client's 400, never a
 * stack overflow or a silently dropped field.
 */
export function refuseUnstorableText(req: Request, _res: Response, next: NextFunction): void {
  const problem = firstProblem(req.body);
  if (problem) {
    next(new ValidationProblem([problem]));
    return;
  }
  next();
}

/** The `verify` hook of the JSON parser: bytes that are not UTF-8 are refused, not replaced with U+FFFD. */
export function requireUtf8(_req: unknown, _res: unknown, buffer: Buffer): void {
  if (!isUtf8(buffer)) {
    throw Object.assign(new Error('the request body is not valid UTF-8'), { status: 400, type: 'entity.verify.failed', reason: 'not-utf8' });
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });
function isUtf8(buffer: Buffer): boolean {
  try {
    decoder.decode(buffer);
    return true;
  } catch {
    return false;
  }
}

/**
 * A body must arrive within `ms` of the request: one trickled at a byte a second would otherwise
 * hold a connection (and a parser) for minutes. Answered 408 and the connection closed.
 */
/** How long an upload's body may take to arrive. */
export const UPLOAD_BODY_TIMEOUT_MS = 150_000;

export function bodyDeadline(ms: number, onTimeout: (req: Request, res: Response) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.complete || req.method === 'GET' || req.method === 'HEAD') return next();
    // An upload (a spreadsheet to import) may take longer than a JSON body to arrive.
    const limit = (req.headers['content-type'] ?? '').startsWith('multipart/') ? Math.max(ms, UPLOAD_BODY_TIMEOUT_MS) : ms;
    const timer = setTimeout(() => {
      if (req.complete || res.headersSent) return;
      res.setHeader('Connection', 'close');
      res.once('finish', () => req.socket.destroy());
      onTimeout(req, res);
    }, limit);
    timer.unref();
    const clear = () => clearTimeout(timer);
    req.once('end', clear);
    req.once('close', clear);
    res.once('finish', clear);
    next();
  };
}
