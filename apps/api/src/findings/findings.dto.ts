import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { CADRE_FINDING_CATEGORIES, FINDING_CATEGORIES, type FindingCategory } from '@cadre-ledger/domain';
import { EffectiveAt, WriteDto } from '../common/validation';

/** A 领导班子研判 finding about one cadre (陕西 能上能下办法 第七条). */
export class CadreFindingDto extends WriteDto {
  @ApiProperty({ enum: CADRE_FINDING_CATEGORIES })
  @IsString()
  category!: FindingCategory; // the decider checks it against the table (400 naming what is allowed)

  @ApiProperty({ enum: [...FINDING_CATEGORIES['leadership-review'].kinds] })
  @IsString()
  kind!: string;

  @EffectiveAt()
  effectiveAt!: string;
}
