import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { AccessKind } from '@cadre-ledger/audit';
import type { Caller } from '../auth/access.decorators';
import { ProblemException, RETRY_AFTER_SECONDS } from '../common/problem';
import { AUDIT, type AuditDependencies } from '../tokens';

/**
 * Records reads of personal data before they answer (API.md, "Read audit"): who (the token's
 * sub), which cadres, what, through which route. A record that cannot be stored fails the read.
 */
@Injectable()
export class AccessService {
  constructor(@Inject(AUDIT) private readonly audit: AuditDependencies) {}

  async record(caller: Caller, cadreIds: readonly string[], what: AccessKind, req: Request): Promise<void> {
    // The route as API.md writes it (`GET /v1/cadres/{cadreId}`), not the concrete path.
    const route = `${req.baseUrl ?? ''}${(req.route as { path?: string } | undefined)?.path ?? req.path}`.replace(/:([A-Za-z]\w*)/g, '{$1}');
    const via = `${req.method} ${route}`;
    try {
      await this.audit.accessLog.record(cadreIds.map((cadreId) => ({ actor: caller.sub, cadreId, what, via })));
    } catch {
      throw new ProblemException(503, 'access-not-recorded', 'the read could not be recorded in the read audit, so it is not answered; send it again later', {}, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
    }
  }
}
