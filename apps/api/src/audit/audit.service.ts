import { Inject, Injectable } from '@nestjs/common';
import { cadreIdOfStream } from '@cadre-ledger/domain';
import type { Ledger } from '@cadre-ledger/application';
import type { EventStore } from '@cadre-ledger/event-store';
import type { Caller } from '../auth/access.decorators';
import { inScope } from '../auth/permissions';
import { EVENT_STORE, LEDGER } from '../tokens';
import type { VerifyResultDto } from './dto/audit.dto';

const PAGE = 1000;

@Injectable()
export class AuditService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGER) private readonly ledger: Ledger,
  ) {}

  /**
   * Every cadre stream the caller may see. The port lists no streams, so their names come from
   * paging through the global order; each stream is then verified by the store itself.
   */
  async verifyAll(caller: Caller): Promise<VerifyResultDto> {
    const streams = new Set<string>();
    for (let from = 0; ; ) {
      const page = await this.store.readAll({ fromPosition: from, limit: PAGE });
      for (const event of page) if (cadreIdOfStream(event.stream) !== undefined) streams.add(event.stream);
      if (page.length < PAGE) break;
      from = page[page.length - 1].globalPosition;
    }
    let checked = 0;
    let verified = 0;
    for (const stream of [...streams].sort()) {
      if (!caller.scope.all) {
        const profile = await this.ledger.profile(cadreIdOfStream(stream)!);
        if (!profile || !inScope(caller.scope, profile.unitId)) continue;
      }
      const result = await this.store.verifyStream(stream);
      checked += result.checked;
      verified += 1;
      if (!result.ok) return { ok: false, checked, brokenAt: result.brokenAt, streams: verified };
    }
    return { ok: true, checked, streams: verified };
  }
}
