import { Inject, Injectable } from '@nestjs/common';
import type { CadreCommand, Requested, UnitCommand } from '@cadre-ledger/domain';
import type { CadreProfile, CadreRead, CommandResult, Ledger } from '@cadre-ledger/application';
import type { Caller } from '../auth/access.decorators';
import { inScope } from '../auth/permissions';
import { LEDGER } from '../tokens';
import { ProblemException } from './problem';
import { currentWriteContext } from './write-context';
import type { WriteResultDto } from './write-result.dto';

type CadreCommandType = Exclude<CadreCommand['type'], 'RecordInfluencePeriodEnd'>;
/** What a route hands over for a command of type T: the command's own data (typed: a renamed field breaks the compile here) and the 文号. */
type CadreInput<T extends CadreCommandType> = Extract<CadreCommand, { type: T }>['data'] & { documentRef?: string };
type UnitInput<T extends UnitCommand['type']> = Omit<Extract<UnitCommand, { type: T }>['data'], 'unitId'> & { documentRef?: string };

/** `{documentRef, ...data}` of a validated DTO as plain JSON (class instances never reach the store). */
function split<D extends { documentRef?: string }>(dto: D): { documentRef?: string; data: Omit<D, 'documentRef'> } {
  const { documentRef, ...data } = JSON.parse(JSON.stringify(dto)) as D;
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

  /** The same check, keeping the stream it read for the answer (read once, not twice); `withUnits` for a verdict. */
  async visibleCadreRead(caller: Caller, cadreId: string, options: { withUnits?: boolean } = {}): Promise<CadreRead> {
    const read = await this.ledger.readCadre(cadreId, options);
    if (!read || !inScope(caller.scope, read.profile.unitId)) throw notFound(`cadre ${cadreId}`);
    return read;
  }

  requireUnit(caller: Caller, unitId: string): void {
    if (!inScope(caller.scope, unitId)) throw notFound(`unit ${unitId}`);
  }

  async register(caller: Caller, dto: CadreInput<'RegisterCadre'>, expectedRevision?: number): Promise<WriteResultDto> {
    this.requireUnit(caller, dto.unitId);
    // A cadre already registered in a unit the caller cannot see is not theirs to learn about.
    return this.onCadreStream(caller, dto.cadreId, 'RegisterCadre', dto, expectedRevision, (existing) => {
      if (existing && !inScope(caller.scope, existing.unitId)) throw notFound(`cadre ${dto.cadreId}`);
    });
  }

  /** A command on an existing cadre; `alsoUnits` are units the command moves the cadre into. */
  async onCadre<T extends CadreCommandType>(
    caller: Caller,
    cadreId: string,
    type: T,
    dto: CadreInput<T>,
    expectedRevision?: number,
    alsoUnits: string[] = [],
  ): Promise<WriteResultDto> {
    alsoUnits.forEach((unitId) => this.requireUnit(caller, unitId));
    // The scope check on the stream the command reads anyway: one read serves both.
    return this.onCadreStream(caller, cadreId, type, dto, expectedRevision, (profile) => {
      if (!profile || !inScope(caller.scope, profile.unitId)) throw notFound(`cadre ${cadreId}`);
    });
  }

  async onUnit<T extends UnitCommand['type']>(caller: Caller, unitId: string, type: T, dto: UnitInput<T>, expectedRevision?: number): Promise<WriteResultDto> {
    this.requireUnit(caller, unitId);
    const { documentRef, data } = split(dto);
    // Typed at the boundary (dto: UnitInput<T>); TypeScript cannot follow a generic T into the union.
    const command = { type, data: { ...data, unitId }, metadata: { actor: caller.sub, documentRef } } as unknown as Requested<UnitCommand>;
    const result = await this.ledger.executeUnitCommand(unitId, command, { expectedRevision, eventId: currentWriteContext().eventId });
    return { ...answer(result), unitId };
  }

  private async onCadreStream<T extends CadreCommandType>(
    caller: Caller,
    cadreId: string,
    type: T,
    dto: CadreInput<T>,
    expectedRevision: number | undefined,
    visible: (profile: CadreProfile | null) => void,
  ): Promise<WriteResultDto> {
    const { documentRef, data } = split(dto);
    // Typed at the boundary (dto: CadreInput<T>); TypeScript cannot follow a generic T into the union.
    const command = { type, data, metadata: { actor: caller.sub, documentRef } } as unknown as Requested<CadreCommand>;
    const result = await this.ledger.executeCadreCommand(cadreId, command, { expectedRevision, eventId: currentWriteContext().eventId, visible });
    return { ...answer(result), cadreId };
  }
}

function answer(result: CommandResult): Omit<WriteResultDto, 'cadreId' | 'unitId'> {
  const event = result.events[result.events.length - 1];
  if (!event) throw new Error(`the command appended nothing to ${result.stream}`);
  return { eventId: event.eventId, type: event.type, revision: result.revision, effectiveAt: event.effectiveAt, recordedAt: event.recordedAt };
}
