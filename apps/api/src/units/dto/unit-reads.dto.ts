import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IDENTIFIER_PATTERN, UNIT_LEVELS } from '@cadre-ledger/domain';
import { PageQueryDto, SearchText } from '../../common/validation';

export class UnitListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ pattern: IDENTIFIER_PATTERN.source, description: 'Only the units registered under this one' })
  @IsOptional()
  @Matches(IDENTIFIER_PATTERN)
  parentUnitId?: string;

  @SearchText('Part of the name (宁陕) or of the unitId')
  q?: string;
}

export class UnitDto {
  @ApiProperty({ example: 'sx-ningshan' }) unitId!: string;
  @ApiProperty({ example: '宁陕县' }) name!: string;
  @ApiProperty({ enum: [...UNIT_LEVELS] }) level!: string;
  @ApiProperty({ nullable: true, type: String }) parentUnitId!: string | null;
  @ApiProperty({ example: 'CN-SN' }) jurisdiction!: string;
  @ApiProperty({ format: 'date', description: 'effectiveAt of its registration' }) registeredOn!: string;
}

export class UnitPageDto {
  @ApiProperty({ type: [UnitDto] }) items!: UnitDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class UnitDetailDto extends UnitDto {
  @ApiProperty({ nullable: true, type: String, description: 'The cadre whose post in the unit is 主要负责人 today (the latest posted, should there be several)' })
  principalCadreId!: string | null;
  @ApiProperty({ nullable: true, type: String }) principalName!: string | null;
  @ApiProperty({ nullable: true, type: String, description: '党委(党组)书记 today, where a post records it' }) partySecretaryCadreId!: string | null;
  @ApiProperty({ type: [String], description: 'Units registered with this one as parent' }) childUnitIds!: string[];
}
