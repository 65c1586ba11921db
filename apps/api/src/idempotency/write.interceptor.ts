import { createHash } from 'node:crypto';
import { Inject, Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import canonicalize from 'canonicalize';
import type { Response } from 'express';
import { lastValueFrom, from, type Observable } from 'rxjs';
import type { Pool } from 'pg';
import type { AuthenticatedRequest } from '../auth/access.decorators';
import { ProblemException } from '../common/problem';
import { PG_POOL } from '../tokens';
import { IdempotencyStore } from './idempotency.store';

const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

/**
 * Every POST: `ETag: "<revision>"` on the answer, and `Idempotency-Key` (API.md, "Writes"): the same
 * key with the same request answers the first response again and appends nothing; with another
 * request it is a 409. Only successful answers are kept: a refused request changed nothing, so its
 * key stays free for the corrected retry.
 */
@Injectable()
export class WriteInterceptor implements NestInterceptor {
  private readonly keys: IdempotencyStore;

  constructor(@Inject(PG_POOL) pool: Pool) {
    this.keys = new IdempotencyStore(pool);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    if (req.method !== 'POST') return next.handle();
    return from(this.serve(req, res, next));
  }

  private async serve(req: AuthenticatedRequest, res: Response, next: CallHandler): Promise<unknown> {
    const header = req.headers['idempotency-key'];
    if (header === undefined) return withEtag(res, await lastValueFrom(next.handle()));
    const key = Array.isArray(header) ? header.join(',') : header;
    if (!KEY_SHAPE.test(key)) throw new ProblemException(400, 'bad-idempotency-key', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
    const actor = req.caller?.sub ?? '';
    const fingerprint = createHash('sha256')
      .update(canonicalize({ method: req.method, path: req.path, body: req.body ?? null }) ?? '')
      .digest('hex');

    const claim = await this.keys.claim(actor, key, fingerprint);
    switch (claim.outcome) {
      case 'replay':
        res.status(claim.status).setHeader('Idempotency-Replayed', 'true');
        return withEtag(res, claim.response);
      case 'reused-with-another-request':
        throw new ProblemException(409, 'idempotency-key-reused', `Idempotency-Key ${key} was already used with another request`);
      case 'in-progress':
        throw new ProblemException(409, 'idempotency-key-in-progress', `a request with Idempotency-Key ${key} is still being served; retry shortly`);
      case 'claimed':
        break;
    }
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle());
    } catch (error) {
      await this.keys.release(actor, key).catch(() => undefined);
      throw error;
    }
    await this.keys.complete(actor, key, 201, body);
    return withEtag(res, body);
  }
}

function withEtag(res: Response, body: unknown): unknown {
  const revision = (body as { revision?: unknown } | null)?.revision;
  if (typeof revision === 'number') res.setHeader('ETag', `"${revision}"`);
  return body;
}
