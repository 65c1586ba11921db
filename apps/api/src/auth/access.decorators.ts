import { SetMetadata, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from './jwt';
import type { Permission, ReadKind, UnitScope, WriteKind } from './permissions';

export const PERMISSION_KEY = 'cadre-ledger:permission';
export const PUBLIC_KEY = 'cadre-ledger:public';

/** The route records `kind` (API.md role table, "may write"). */
export const Writes = (kind: WriteKind) => SetMetadata(PERMISSION_KEY, { write: kind } satisfies Permission);
/** The route shows `kind` (API.md role table, "may read"). */
export const Reads = (kind: ReadKind) => SetMetadata(PERMISSION_KEY, { read: kind } satisfies Permission);
/** No token needed: health, metrics. */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Who asks and which units this request may touch; set by the auth guard. */
export interface Caller extends Principal {
  scope: UnitScope;
}

export interface AuthenticatedRequest extends Request {
  /** The verified token, set before the body is read (authenticateEarly). */
  principal?: Principal;
  caller?: Caller;
}

export const CallerOf = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<AuthenticatedRequest>().caller;
  if (!caller) throw new Error('route without @Reads/@Writes reached a handler that needs the caller');
  return caller;
});
