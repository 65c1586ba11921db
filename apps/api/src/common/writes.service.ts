import { Inject, Injectable } from '@nestjs/common';
import type { CadreCommand, UnitCommand } from '@cadre-ledger/domain';
import type { CadreProfile, CadreRead, CommandResult, Ledger } from '@cadre-ledger/application';
import type { Caller } from '../auth/access.decorators';
import { inScope } from '../auth/permissions';
import { LEDGER } from '../tokens';
import { ProblemException } from './problem';
import { currentWriteContext } from './write-context';
import type { WriteResultDto } from './write-result.dto';

type CadreCommandType = Exclude<CadreCommand['type'], 'RecordInfluencePeriodEnd'>;

/** `{documentRef, ...data}` of a validated DTO as plain JSON (class instances never reach the store). */
function split(dto: object): { documentRef?: string; data: Record<string, unknown> } {
  const { documentRef, ...data } = JSON.parse(JSON.stringify(dto)) as Record<string, unknown> & { documentRef?: string };
  return { documentRef, data };
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

  /** The same check, keeping the stream it read for the answer (read once, not twice). */
  async visibleCadreRead(caller: Caller, cadreId: string): Promise<CadreRead> {
    const read = await this.ledger.readCadre(cadreId);
    if (!read || !inScope(caller.scope, read.profile.unitId)) throw notFound(`cadre ${cadreId}`);
    return read;
  }

  requireUnit(caller: Caller, unitId: string): void {
    if (!inScope(caller.scope, unitId)) throw notFound(`unit ${unitId}`);
  }

  async register(caller: Caller, dto: { cadreId: string; unitId: string }, expectedRevision?: number): Promise<WriteResultDto> {
    this.requireUnit(caller, dto.unitId);
    // A cadre already registered in a unit the caller cannot see is not theirs to learn about.
    const existing = await this.ledger.profile(dto.cadreId);
    if (existing && !inScope(caller.scope, existing.unitId)) throw notFound(`cadre ${dto.cadreId}`);
    return this.onCadreStream(caller, dto.cadreId, 'RegisterCadre', dto, expectedRevision);
  }

  /** A command on an existing cadre; `alsoUnits` are units the command moves the cadre into. */
  async onCadre(
    caller: Caller,
    cadreId: string,
    type: CadreCommandType,
    dto: object,
    expectedRevision?: number,
    alsoUnits: string[] = [],
  ): Promise<WriteResultDto> {
    await this.visibleCadre(caller, cadreId);
    alsoUnits.forEach((unitId) => this.requireUnit(caller, unitId));
    return this.onCadreStream(caller, cadreId, type, dto, expectedRevision);
  }

  async onUnit(caller: Caller, unitId: string, type: UnitCommand['type'], dto: object, expectedRevision?: number): Promise<WriteResultDto> {
    this.requireUnit(caller, unitId);
    const { documentRef, data } = split(dto);
    const result = await this.ledger.executeUnitCommand(
      unitId,
      { type, data: { ...data, unitId }, metadata: { actor: caller.sub, documentRef } } as Parameters<Ledger['executeUnitCommand']>[1],
      { expectedRevision, eventId: currentWriteContext().eventId },
    );
    return { ...answer(result), unitId };
  }

  private async onCadreStream(caller: Caller, cadreId: string, type: CadreCommandType, dto: object, expectedRevision?: number): Promise<WriteResultDto> {
    const { documentRef, data } = split(dto);
    const result = await this.ledger.executeCadreCommand(
      cadreId,
      { type, data, metadata: { actor: caller.sub, documentRef } } as Parameters<Ledger['executeCadreCommand']>[1],
      { expectedRevision, eventId: currentWriteContext().eventId },
    );
    return { ...answer(result), cadreId };
  }
}

function answer(result: CommandResult): Omit<WriteResultDto, 'cadreId' | 'unitId'> {
  const event = result.events[result.events.length - 1];
  if (!event) throw new Error(`the command appended nothing to ${result.stream}`);
  return { eventId: event.eventId, type: event.type, revision: result.revision, effectiveAt: event.effectiveAt, recordedAt: event.recordedAt };
}
