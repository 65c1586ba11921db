import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IDENTIFIER_PATTERN, MANAGED_BY, POSITION_LEVELS, type ManagedBy } from '@cadre-ledger/domain';
import { Nested } from '../../common/nested';
import { Absent, EffectiveAt, Identifier, PageQueryDto, SearchText, Text, WriteDto, composed } from '../../common/validation';
import { PositionDto } from './position.dto';

/** 干部管理权限, optional on registrations, transfers, adjustments and promotions (kept until changed). */
export function ManagedByField(): PropertyDecorator {
  return composed(
    ApiPropertyOptional({ enum: [...MANAGED_BY], description: '干部管理权限: central 中管, provincial 省管, municipal 市管, county 县管; omitted: unchanged (or never recorded)' }),
    Absent(),
    IsIn([...MANAGED_BY]),
  );
}

/** The level whose 管理权限 took a measure, optional on adjustments and sanctions (API.md 2026-12b). */
export function MeasureTakenByField(): PropertyDecorator {
  return composed(
    ApiPropertyOptional({
      enum: [...MANAGED_BY],
      description: 'The level whose 管理权限 took the measure (central, provincial, municipal, county); omitted: the cadre\'s managedBy the day before it took effect. Rules limited to a management level (陕西 能上能下办法 第十六条) judge the measure by it.',
    }),
    Absent(),
    IsIn([...MANAGED_BY]),
  );
}

export class RegisterCadreDto extends WriteDto {
  @Identifier('The cadre\'s id', 'c-001')
  cadreId!: string;

  @Text(200, { example: '周伟' })
  name!: string;

  @Identifier('The unit of the cadre\'s position', 'sx-fgw')
  unitId!: string;

  @Text(64, { description: 'A jurisdiction of the rule book (jurisdictions.yaml), e.g. CN-SN', example: 'CN-SN' })
  jurisdiction!: string;

  @ApiProperty({ type: PositionDto })
  @Nested(PositionDto)
  position!: PositionDto;

  @ManagedByField()
  managedBy?: ManagedBy;

  @EffectiveAt()
  effectiveAt!: string;
}

/** An ordinary posting, no penalty. */
export class TransferCadreDto extends WriteDto {
  @Identifier('The unit the cadre moves to', 'sx-jyt')
  unitId!: string;

  @ApiProperty({ type: PositionDto })
  @Nested(PositionDto)
  position!: PositionDto;

  @ManagedByField()
  managedBy?: ManagedBy;

  @EffectiveAt()
  effectiveAt!: string;
}

export class PromoteCadreDto extends WriteDto {
  @ApiProperty({ type: PositionDto })
  @Nested(PositionDto)
  newPosition!: PositionDto;

  @ApiPropertyOptional({ description: 'Reference of the higher organisation department\'s opinion (征求意见), when a consultation is required', maxLength: 200 })
  @Absent()
  @IsString()
  @MaxLength(200)
  consultationRef?: string;

  @ManagedByField()
  managedBy?: ManagedBy;

  @EffectiveAt()
  effectiveAt!: string;
}

/** A wrong entry: history keeps it; no effectiveAt (it takes effect when recorded). */
export class RetractEntryDto extends WriteDto {
  @Text(64, { description: 'eventId of the entry to retract', format: 'uuid' })
  eventId!: string;

  @Text(2000, { description: 'Why the entry was wrong' })
  reason!: string;
}

export class ProfileDto {
  @ApiProperty({ example: 'c-001' })
  cadreId!: string;

  @ApiProperty({ example: '周伟' })
  name!: string;

  @ApiProperty({ description: 'Unit of the current position', example: 'sx-fgw' })
  unitId!: string;

  @ApiProperty({ example: 'CN-SN' })
  jurisdiction!: string;

  @ApiProperty({ type: PositionDto, nullable: true, description: 'null after a removal (免职)' })
  position!: PositionDto | null;

  @ApiPropertyOptional({ enum: [...MANAGED_BY], description: '干部管理权限 as last recorded; absent when never recorded' })
  managedBy?: ManagedBy;

  @ApiProperty({ description: 'Current stream revision (also the ETag)' })
  revision!: number;
}

export class CadreListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ pattern: IDENTIFIER_PATTERN.source })
  @IsOptional()
  @Matches(IDENTIFIER_PATTERN)
  unitId?: string;

  @SearchText('A name (赵文清, 文清), its pinyin (zhaowenqing, zhao wen qing) or initials (zwq), or a cadre id')
  q?: string;

  @ApiPropertyOptional({ enum: POSITION_LEVELS, description: 'The level of the post held today' })
  @IsOptional()
  @IsIn([...POSITION_LEVELS])
  level?: string;

  @ApiPropertyOptional({ enum: MANAGED_BY, description: '干部管理权限 as last recorded' })
  @IsOptional()
  @IsIn([...MANAGED_BY])
  managedBy?: string;
}

export class DirectoryPositionDto {
  @ApiProperty() title!: string;
  @ApiProperty({ enum: POSITION_LEVELS }) level!: string;
  @ApiProperty() leadership!: boolean;
  @ApiProperty() principal!: boolean;
  @ApiProperty() partySecretary!: boolean;
  @ApiProperty({ type: [String] }) portfolios!: string[];
}

export class DirectoryItemDto {
  @ApiProperty() cadreId!: string;
  @ApiProperty({ example: '赵文清' }) name!: string;
  @ApiProperty() unitId!: string;
  @ApiProperty({ nullable: true, type: String, example: '宁陕县' }) unitName!: string | null;
  @ApiProperty() jurisdiction!: string;
  @ApiProperty({ type: DirectoryPositionDto, nullable: true }) position!: DirectoryPositionDto | null;
  @ApiProperty({ nullable: true, type: String, enum: MANAGED_BY }) managedBy!: string | null;
  @ApiProperty({ format: 'date', description: 'Effective date of the post held today' }) positionSince!: string;
  @ApiProperty() revision!: number;
}

export class DirectoryPageDto {
  @ApiProperty({ type: [DirectoryItemDto] }) items!: DirectoryItemDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
