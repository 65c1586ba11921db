import { v5 as uuidv5 } from 'uuid';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/access.decorators';
import { parseIfMatch } from './if-match';

/** Namespace of event ids derived from idempotency keys (a fixed, random UUID). */
const IDEMPOTENT_EVENT_NAMESPACE = '8d0f3c52-6a1e-4b9d-a7c4-2e5f9b1d6c38';

/** What an `Idempotency-Key` may be (API.md, "Writes"): 1 to 255 visible ASCII characters. */
export const IDEMPOTENCY_KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

/** The event id a request with this key appends: the same for every retry of it. */
export const idempotentEventId = (actor: string, key: string): string => uuidv5(`${actor}\u0000${key}`, IDEMPOTENT_EVENT_NAMESPACE);

/** What a write request says besides its body: the revision it expects (`If-Match`) and the event id its `Idempotency-Key` derives. */
export interface WriteRequest {
  expectedRevision?: number;
  eventId?: string;
}

/**
 * `@Write()`: the write's `If-Match` and its key's event id, as a parameter of the route (the
 * write interceptor has already refused a malformed key, and answered a replay without calling it).
 */
export const Write = createParamDecorator((_data: unknown, context: ExecutionContext): WriteRequest => {
  const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
  const header = req.headers['idempotency-key'];
  const key = Array.isArray(header) ? header.join(',') : header;
  const expectedRevision = parseIfMatch(req.headers['if-match']);
  return {
    ...(expectedRevision === undefined ? {} : { expectedRevision }),
    ...(key !== undefined && IDEMPOTENCY_KEY_SHAPE.test(key) ? { eventId: idempotentEventId(req.caller?.sub ?? '', key) } : {}),
  };
});
