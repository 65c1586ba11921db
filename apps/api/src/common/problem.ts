import { HttpException, HttpStatus } from '@nestjs/common';
import { isDomainError, type DomainErrorCategory } from '@cadre-ledger/domain';
import { DuplicateEventIdConflict, WrongExpectedRevision, isStoreUnavailable } from '@cadre-ledger/event-store';
import { EvaluationInputError } from '@cadre-ledger/policy';
import { StreamFull } from '@cadre-ledger/application';
import { InvalidCursor } from '@cadre-ledger/projections';

/** RFC 9457 problem document (API.md, "Conventions"), with the ledger's extension members. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** What a 503 asks the client to wait before sending again. */
export const RETRY_AFTER_SECONDS = 5;

/** Problem types are URNs: stable names that need no server to resolve them. */
export const problemType = (code: string): string => `urn:cadre-ledger:problem:${code}`;

/** A refusal the HTTP layer itself decides (auth, scope, headers, not yet implemented). */
export class ProblemException extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ProblemException';
  }
}

/** Request validation failed: one entry per field, the 400 of API.md. */
export class ValidationProblem extends ProblemException {
  constructor(readonly errors: { field: string; message: string }[]) {
    super(400, 'validation-failed', `${errors.length} field(s) failed validation: ${errors.map((e) => e.field).join(', ')}`, { errors });
  }
}

const CATEGORY_STATUS: Record<DomainErrorCategory, number> = {
  invalid: 400,
  'not-found': 404,
  conflict: 409,
  unprocessable: 422,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

export interface ProblemContext {
  /** Whether the request carried `If-Match`: a lost race is then the client's 412, not a 409. */
  ifMatchSent: boolean;
}

/** What any error thrown while serving a request becomes. The one mapping (STYLE.md, "Thin adapters"). */
export function toProblem(error: unknown, context: ProblemContext): { problem: Problem; headers: Record<string, string> } {
  if (error instanceof ProblemException) {
    return { problem: make(error.status, error.code, error.message, error.extensions), headers: error.headers };
  }
  if (isDomainError(error)) {
    return { problem: make(CATEGORY_STATUS[error.category], error.code, error.message, { code: error.code, ...error.details }), headers: {} };
  }
  if (error instanceof WrongExpectedRevision) {
    const extensions = { code: error.code, expectedRevision: error.expected, currentRevision: error.actual === 'no-stream' ? null : error.actual };
    return context.ifMatchSent
      ? { problem: make(412, 'revision-mismatch', `If-Match names revision ${String(error.expected)}; the stream is at ${String(error.actual)}`, extensions), headers: {} }
      : { problem: make(409, 'concurrent-write', 'the stream kept changing while the command was decided; send it again', extensions), headers: {} };
  }
  if (error instanceof StreamFull) {
    return { problem: make(422, error.code, error.message, { code: error.code, limit: error.limit }), headers: {} };
  }
  if (error instanceof DuplicateEventIdConflict) {
    return { problem: make(409, 'duplicate-event-id', error.message, { code: error.code }), headers: {} };
  }
  if (error instanceof InvalidCursor) {
    return { problem: make(400, 'invalid-cursor', error.message), headers: {} };
  }
  if (error instanceof EvaluationInputError) {
    return { problem: make(400, 'invalid-query', error.message), headers: {} };
  }
  if (isStoreUnavailable(error)) {
    return {
      problem: make(503, 'service-unavailable', 'the database cannot be reached just now; send the request again later (with the same Idempotency-Key, a write that did land is not recorded twice)'),
      headers: { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = status === HttpStatus.NOT_FOUND ? 'no-such-route' : `http-${status}`;
    return { problem: make(status, code, status === HttpStatus.NOT_FOUND ? 'no such resource' : error.message), headers: {} };
  }
  const bodyParser = bodyParserStatus(error);
  if (bodyParser) return { problem: make(bodyParser.status, bodyParser.code, bodyParser.detail), headers: {} };
  return { problem: make(500, 'internal-error', 'the server failed to answer; the request id in the logs tells what happened'), headers: {} };
}

function make(status: number, code: string, detail: string, extensions: Record<string, unknown> = {}): Problem {
  return { type: problemType(code), title: TITLES[status] ?? 'Error', status, detail, ...extensions };
}

/** body-parser's errors carry `status` and most a `type`: malformed JSON, too large, bad charset, bad gzip. */
function bodyParserStatus(error: unknown): { status: number; code: string; detail: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status, code, reason } = error as { type?: unknown; status?: unknown; code?: unknown; reason?: unknown };
  if (typeof status !== 'number') return undefined;
  // A body whose Content-Encoding says gzip or deflate but whose bytes are not (zlib's Z_* codes).
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return { status: 400, code: 'bad-content-encoding', detail: 'the request body does not match its Content-Encoding' };
  }
  if (typeof type !== 'string') return status >= 400 && status < 500 ? { status, code: 'bad-body', detail: 'the request body could not be read' } : undefined;
  switch (type) {
    case 'entity.parse.failed':
      return { status: 400, code: 'malformed-json', detail: 'the request body is not well-formed JSON' };
    case 'entity.verify.failed':
      return reason === 'not-utf8'
        ? { status: 400, code: 'invalid-utf8', detail: 'the request body is not valid UTF-8' }
        : { status: 400, code: 'bad-body', detail: 'the request body could not be read' };
    case 'entity.too.large':
      return { status: 413, code: 'body-too-large', detail: 'the request body is larger than 256 KiB' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, code: 'unsupported-encoding', detail: 'the request body must be UTF-8 JSON, uncompressed or gzip/deflate' };
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return { status: 400, code: 'bad-body', detail: 'the request body could not be read' };
    default:
      return status >= 400 && status < 500 ? { status, code: 'bad-body', detail: 'the request body could not be read' } : undefined;
  }
}
