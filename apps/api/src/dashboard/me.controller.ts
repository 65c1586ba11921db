import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CallerOf, Reads, type Caller } from '../auth/access.decorators';
import { READERS, scopeFor, seesOnlySuppressedFigures, type ReadKind } from '../auth/permissions';
import { ReadRoute } from '../common/openapi';

export class MeDto {
  @ApiProperty({ description: 'The token\'s subject' }) sub!: string;
  @ApiProperty({ type: [String], description: 'Its roles (after the identity provider\'s role map)' }) roles!: string[];
  @ApiProperty({ type: [String], description: 'Its units, or ["*"]' }) units!: string[];
  @ApiProperty({
    description: 'For each kind of read, whether any role of the token grants it: what a client (the dashboard) should ask for at all',
    example: { stats: true, cadres: false, eligibility: false, history: false, queues: false, units: false, dossier: false, audit: false },
  })
  may!: Record<string, boolean>;
  @ApiProperty({ description: 'Figures below the small-count threshold come back null (the dashboard role)' }) suppressedFigures!: boolean;
}

/** Who the caller is, and what the role table lets it read: the dashboard shows only that. */
@ApiTags('dashboard')
@Controller('v1/me')
export class MeController {
  @Get()
  @Reads('self')
  @ReadRoute('Who this token is and which reads its roles grant (the dashboard asks for nothing else)')
  @ApiOkResponse({ type: MeDto })
  me(@CallerOf() caller: Caller): MeDto {
    const kinds = (Object.keys(READERS) as ReadKind[]).filter((kind) => kind !== 'self');
    return {
      sub: caller.sub,
      roles: caller.roles,
      units: caller.units,
      may: Object.fromEntries(kinds.map((kind) => [kind, scopeFor(caller.roles, caller.units, { read: kind }) !== null])),
      suppressedFigures: seesOnlySuppressedFigures(caller.roles),
    };
  }
}
