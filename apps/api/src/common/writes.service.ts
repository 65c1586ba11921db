import { Inject, Injectable } from '@nestjs/common';
import type { CadreCommand, UnitCommand } from '@cadre-ledger/domain';
import type { CadreProfile, CadreRead, CommandResult, Ledger } from '@cadre-ledger/application';
import type { Caller } from '../auth/access.decorators';
import { inScope } from '../auth/permissions';
import { LEDGER } from '../tokens';
import { ProblemException } from './problem';
import type { WriteRequest } from './write-request';
import type { WriteResultDto } from './write-result.dto';

/**
 * What a route hands over: the command's type and its validated DTO as the command's data, typed
 * member by member (a renamed field breaks the compile at the route). The DTO's 文号 rides along
 * and becomes the command's metadata; the decider leaves it out of the event's data.
 */
type DtoRequest<C extends { type: string; data: unknown }> = C extends unknown ? { type: C['type']; data: C['data'] & { documentRef?: string } } : never;
type CadreRequest = DtoRequest<Exclude<CadreCommand, { type: 'RecordInfluencePeriodEnd' | 'RecordConflictDetected' | 'RecordConflictResolved' }>>;
type UnitRequest = DtoRequest<Exclude<UnitCommand, { type: 'ClaimExcellenceQuota' | 'ReleaseExcellenceQuota' }>>;

/** The command as the ledger takes it: the route's request, with who acts and the 文号. */
function requested<R extends CadreRequest | UnitRequest>(caller: Caller, request: R): R & { metadata: { actor: string; documentRef?: string } } {
  return { ...request, metadata: { actor: caller.sub, documentRef: request.data.documentRef } };
}

const notFound = (what: string) => new ProblemException(404, 'not-found', `no such ${what}`);

/**
 * The path from a validated DTO to the Ledger: unit scope first (404 outside it, API.md), then the
 * one command path; the answer is the 201 body. Controllers stay one line per route.
 */
@Injectable()
export class WritesService {
  constructor(@Inject(LEDGER) private readonly ledger: Ledger) {}

  /** The cadre as the caller may see it: unknown and out-of-scope look the same (existence is not leaked). */
  async visibleCadre(caller: Caller, cadreId: string): Promise<CadreProfile> {
    return (await this.visibleCadreRead(caller, cadreId)).profile;
  }

  /** The same check, keeping the stream it read for the answer (read once, not twice); `withUnits` for a verdict. */
  async visibleCadreRead(caller: Caller, cadreId: string, options: { withUnits?: boolean } = {}): Promise<CadreRead> {
    const read = await this.ledger.readCadre(cadreId, options);
    if (!read || !inScope(caller.scope, read.profile.unitId)) throw notFound(`cadre ${cadreId}`);
    return read;
  }

  requireUnit(caller: Caller, unitId: string): void {
    if (!inScope(caller.scope, unitId)) throw notFound(`unit ${unitId}`);
  }

  async register(caller: Caller, dto: Extract<CadreRequest, { type: 'RegisterCadre' }>['data'], write: WriteRequest): Promise<WriteResultDto> {
    this.requireUnit(caller, dto.unitId);
    // A cadre already registered in a unit the caller cannot see is not theirs to learn about.
    return this.onCadreStream(caller, dto.cadreId, { type: 'RegisterCadre', data: dto }, write, (existing) => {
      if (existing && !inScope(caller.scope, existing.unitId)) throw notFound(`cadre ${dto.cadreId}`);
    });
  }

  /** A command on an existing cadre; `alsoUnits` are units the command moves the cadre into. */
  async onCadre(caller: Caller, cadreId: string, request: CadreRequest, write: WriteRequest, alsoUnits: string[] = []): Promise<WriteResultDto> {
    alsoUnits.forEach((unitId) => this.requireUnit(caller, unitId));
    // The scope check on the stream the command reads anyway: one read serves both.
    return this.onCadreStream(caller, cadreId, request, write, (profile) => {
      if (!profile || !inScope(caller.scope, profile.unitId)) throw notFound(`cadre ${cadreId}`);
    });
  }

  async onUnit(caller: Caller, unitId: string, request: UnitRequest, write: WriteRequest): Promise<WriteResultDto> {
    this.requireUnit(caller, unitId);
    const result = await this.ledger.executeUnitCommand(unitId, requested(caller, request), write);
    return { ...answer(result), unitId };
  }

  private async onCadreStream(caller: Caller, cadreId: string, request: CadreRequest, write: WriteRequest, visible: (profile: CadreProfile | null) => void): Promise<WriteResultDto> {
    const result = await this.ledger.executeCadreCommand(cadreId, requested(caller, request), { ...write, visible });
    return { ...answer(result), cadreId };
  }
}

function answer(result: CommandResult): Omit<WriteResultDto, 'cadreId' | 'unitId'> {
  const event = result.events[result.events.length - 1];
  if (!event) throw new Error(`the command appended nothing to ${result.stream}`);
  return { eventId: event.eventId, type: event.type, revision: result.revision, effectiveAt: event.effectiveAt, recordedAt: event.recordedAt };
}
