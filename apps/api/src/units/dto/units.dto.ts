import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsString, Matches, Max, Min } from 'class-validator';
import {
  CRITICISED_BY,
  FINDING_KINDS,
  IDENTIFIER_PATTERN,
  INCIDENT_LEVELS,
  UNIT_FINDING_CATEGORIES,
  UNIT_GRADES,
  UNIT_LEVELS,
  type CriticisedBy,
  type FindingCategory,
  type IncidentLevel,
  type UnitGrade,
  type UnitLevel,
} from '@cadre-ledger/domain';
import { Absent, EffectiveAt, Identifier, Text, WriteDto } from '../../common/validation';

export class UnitAssessmentDto extends WriteDto {
  @ApiProperty({ example: 2021, minimum: 1949, maximum: 9999 })
  @IsInt()
  @Min(1949)
  @Max(9999)
  year!: number;

  @ApiProperty({ enum: [...UNIT_GRADES], description: 'excellent 优秀, good 良好, average 一般, poor 较差' })
  @IsIn([...UNIT_GRADES])
  grade!: UnitGrade;

  @EffectiveAt()
  effectiveAt!: string;
}

export class RegisterUnitDto extends WriteDto {
  @Identifier('The unit', 'sx-ningshan')
  unitId!: string;

  @Text(200, { description: 'Its name', example: '宁陕县' })
  name!: string;

  @ApiProperty({ enum: [...UNIT_LEVELS], description: 'province 省级, city 市(区), county 县(市、区), township 乡镇(街道), department 部门 (of its parent\'s level)' })
  @IsIn([...UNIT_LEVELS])
  level!: UnitLevel;

  @ApiPropertyOptional({ description: 'The unit it belongs to (required for a department)', pattern: IDENTIFIER_PATTERN.source, example: 'sx-ankang' })
  @Absent()
  @IsString()
  @Matches(IDENTIFIER_PATTERN, { message: `parentUnitId must match ${IDENTIFIER_PATTERN.source}` })
  parentUnitId?: string;

  @Text(64, { description: 'A jurisdiction of the rule book (jurisdictions.yaml), e.g. CN-SN', example: 'CN-SN' })
  jurisdiction!: string;

  @EffectiveAt()
  effectiveAt!: string;
}

/** A finding on a unit; which category, kind and fields go together is the decider's to check (a 400 naming what is allowed). */
export class UnitFindingDto extends WriteDto {
  @ApiProperty({ enum: UNIT_FINDING_CATEGORIES, description: 'API.md, "Findings"' })
  @IsString()
  category!: FindingCategory; // checked by the decider against the table

  @ApiProperty({ enum: FINDING_KINDS, description: 'one of the kinds of its category' })
  @IsString()
  kind!: string;

  @ApiPropertyOptional({ enum: [...INCIDENT_LEVELS], description: 'an accident\'s or incident\'s grade: ordinary 一般, relatively-major 较大, major 重大, especially-major 特别重大' })
  @Absent()
  @IsIn([...INCIDENT_LEVELS])
  level?: IncidentLevel;

  @ApiPropertyOptional({ example: 2022, minimum: 1949, maximum: 9999, description: 'the year a ranking, evaluation or designation is of (default: the year of effectiveAt)' })
  @Absent()
  @IsInt()
  @Min(1949)
  @Max(9999)
  year?: number;

  @ApiPropertyOptional({ enum: [...CRITICISED_BY] })
  @Absent()
  @IsIn([...CRITICISED_BY])
  criticisedBy?: CriticisedBy;

  @ApiPropertyOptional({ type: [String], description: 'the 有关领导干部 it holds responsible', maxItems: 50 })
  @Absent()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(IDENTIFIER_PATTERN, { each: true, message: `each of cadreIds must match ${IDENTIFIER_PATTERN.source}` })
  cadreIds?: string[];

  @EffectiveAt()
  effectiveAt!: string;
}

/** The assessed headcount of a year's annual reviews in the unit: what its 优秀 quota is a share of. */
export class ReviewQuotaDto extends WriteDto {
  @ApiProperty({ example: 2023, minimum: 1949, maximum: 9999 })
  @IsInt()
  @Min(1949)
  @Max(9999)
  year!: number;

  @ApiProperty({ example: 48, minimum: 0, maximum: 1000000, description: '参加年度考核的人数' })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  assessedHeadcount!: number;

  @EffectiveAt()
  effectiveAt!: string;
}
