import { createHash } from 'node:crypto';
import { Inject, Injectable, SetMetadata, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import canonicalize from 'canonicalize';
import type { Response } from 'express';
import { lastValueFrom, from, type Observable } from 'rxjs';
import type { Pool } from 'pg';
import type { Ledger } from '@cadre-ledger/application';
import type { AuthenticatedRequest } from '../auth/access.decorators';
import { inScope } from '../auth/permissions';
import { ProblemException } from '../common/problem';
import { IDEMPOTENCY_KEY_SHAPE } from '../common/write-request';
import { API_OPTIONS, LEDGER, PG_POOL, type ApiOptions } from '../tokens';
import { IdempotencyStore } from './idempotency.store';

/** A route that applies `Idempotency-Key` itself (an upload, whose body the interceptor never sees). */
export const OWN_IDEMPOTENCY = 'cadre-ledger:own-idempotency';
export const OwnIdempotency = () => SetMetadata(OWN_IDEMPOTENCY, true);


/**
 * Every POST: `ETag: "<revision>"` on the answer, and `Idempotency-Key` (API.md, "Writes"): the same
 * key with the same request answers the first response again and appends nothing; with another
 * request it is a 409. Only successful answers are kept: a refused request changed nothing, so its
 * key stays free for the corrected retry.
 */
@Injectable()
export class WriteInterceptor implements NestInterceptor {
  private readonly keys: IdempotencyStore;

  constructor(
    @Inject(PG_POOL) pool: Pool,
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(API_OPTIONS) options: ApiOptions,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {
    this.keys = new IdempotencyStore(pool, options.idempotencyLeaseSeconds);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    if (req.method !== 'POST' || this.reflector.get<boolean>(OWN_IDEMPOTENCY, context.getHandler())) return next.handle();
    return from(this.serve(req, res, next));
  }

  private async serve(req: AuthenticatedRequest, res: Response, next: CallHandler): Promise<unknown> {
    const header = req.headers['idempotency-key'];
    if (header === undefined) return withEtag(res, await lastValueFrom(next.handle()));
    const key = Array.isArray(header) ? header.join(',') : header;
    if (!IDEMPOTENCY_KEY_SHAPE.test(key)) throw new ProblemException(400, 'bad-idempotency-key', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
    const actor = req.caller?.sub ?? '';
    const fingerprint = createHash('sha256')
      .update(canonicalize({ method: req.method, path: req.path, body: req.body ?? null }) ?? '')
      .digest('hex');

    const claim = await this.keys.claim(actor, key, fingerprint);
    switch (claim.outcome) {
      case 'replay':
        await this.requireStillInScope(req, claim.response);
        res.status(claim.status).setHeader('Idempotency-Replayed', 'true');
        return withEtag(res, claim.response);
      case 'reused-with-another-request':
        throw new ProblemException(409, 'idempotency-key-reused', `Idempotency-Key ${key} was already used with another request`);
      case 'in-progress':
        throw new ProblemException(
          409,
          'idempotency-key-in-progress',
          `a request with Idempotency-Key ${key} is still being served; retry in ${claim.retryAfterSeconds} s`,
          {},
          { 'Retry-After': String(claim.retryAfterSeconds) },
        );
      case 'claimed':
        break;
    }
    let body: unknown;
    try {
      // The route derives the same event id from the key (`@Write()`): a retry can never append twice.
      body = await lastValueFrom(next.handle());
    } catch (error) {
      await this.keys.release(actor, key).catch(() => undefined);
      throw error;
    }
    await this.keys.complete(actor, key, 201, body);
    return withEtag(res, body);
  }

  /**
   * A replay answers only to a caller who could still send the request: the cadre (or unit) must
   * lie within the token's units now, as the first request's handler checked then (404 otherwise).
   */
  private async requireStillInScope(req: AuthenticatedRequest, response: unknown): Promise<void> {
    const scope = req.caller?.scope;
    if (!scope || scope.all) return;
    const { cadreId, unitId } = (response ?? {}) as { cadreId?: unknown; unitId?: unknown };
    if (typeof cadreId === 'string') {
      const profile = await this.ledger.profile(cadreId);
      if (!profile || !inScope(scope, profile.unitId)) throw new ProblemException(404, 'not-found', `no such cadre ${cadreId}`);
    } else if (typeof unitId === 'string' && !inScope(scope, unitId)) {
      throw new ProblemException(404, 'not-found', `no such unit ${unitId}`);
    }
  }
}

function withEtag(res: Response, body: unknown): unknown {
  const revision = (body as { revision?: unknown } | null)?.revision;
  if (typeof revision === 'number') res.setHeader('ETag', `"${revision}"`);
  return body;
}
