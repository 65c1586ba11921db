import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException } from '../common/problem';
import { RETRY_AFTER_SECONDS } from '../common/problem';
import { TOKEN_VERIFIER } from '../tokens';
import { PERMISSION_KEY, PUBLIC_KEY, type AuthenticatedRequest } from './access.decorators';
import type { NextFunction, Response } from 'express';
import { IdentityProviderUnavailable, TokenRefused, type Principal, type TokenVerifier } from './jwt';
import { scopeFor, type Permission } from './permissions';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="cadre-ledger"' };

/** The bearer token's principal, or a 401 problem. */
export async function authenticate(request: AuthenticatedRequest, verifier: TokenVerifier): Promise<Principal> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) throw new ProblemException(401, 'unauthenticated', 'send Authorization: Bearer <JWT>', {}, CHALLENGE);
  try {
    return await verifier.verify(match[1]);
  } catch (error) {
    if (error instanceof TokenRefused) throw new ProblemException(401, 'unauthenticated', error.message, {}, CHALLENGE);
    if (error instanceof IdentityProviderUnavailable) throw new ProblemException(503, 'identity-provider-unavailable', error.message, {}, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
    throw error;
  }
}

/** Routes under /v1/ that need no token (each is also marked `@Public()`): the published key and checkpoint. */
const PUBLIC_API_PATHS = new Set(['/v1/audit/public-key', '/v1/audit/checkpoint']);

/**
 * Express middleware before the body parser: a request to the API (`/v1/…`) without a valid
 * token is answered 401 without its body being read or parsed. The guard then only checks roles.
 */
export function authenticateEarly(verifier: TokenVerifier) {
  return (req: AuthenticatedRequest, _res: Response, next: NextFunction): void => {
    if (!req.path.startsWith('/v1/') || (req.method === 'GET' && PUBLIC_API_PATHS.has(req.path))) return next();
    authenticate(req, verifier).then(
      (principal) => {
        req.principal = principal;
        next();
      },
      (error: unknown) => {
        // The body is not read: the connection closes after the answer, so it is never parsed.
        req.headers.connection = 'close';
        next(error);
      },
    );
  };
}

/** Every route: 401 without a valid token, 403 when no role of the token may do this. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const permission = this.reflector.getAllAndOverride<Permission | undefined>(PERMISSION_KEY, targets);
    // A route that declares nothing is closed: forgetting the table must not open a door.
    if (!permission) throw new ProblemException(403, 'forbidden', 'this route is not open to any role');

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // Usually verified already, before the body was read (authenticateEarly).
    const principal = request.principal ?? (await authenticate(request, this.verifier));
    const scope = scopeFor(principal.roles, principal.units, permission);
    if (!scope) {
      const what = 'write' in permission ? `record ${permission.write}` : `read ${permission.read}`;
      throw new ProblemException(403, 'forbidden', `roles [${principal.roles.join(', ')}] may not ${what}`);
    }
    request.caller = { ...principal, scope };
    return true;
  }
}
