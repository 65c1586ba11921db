import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn } from 'class-validator';
import { PORTFOLIOS, POSITION_LEVELS, type PositionLevel, type Portfolio } from '@cadre-ledger/domain';
import { Absent, Text } from '../../common/validation';

export class PositionDto {
  @Text(200, { description: 'Title of the post', example: '局长' })
  title!: string;

  @ApiProperty({ enum: [...POSITION_LEVELS], description: 'township-deputy 乡科级副职 … province-chief 省部级正职' })
  @IsIn([...POSITION_LEVELS])
  level!: PositionLevel;

  @ApiProperty({ description: 'A leading post (领导职务)' })
  @IsBoolean()
  leadership!: boolean;

  @ApiProperty({ description: 'The principal of the unit (主要负责同志)' })
  @IsBoolean()
  principal!: boolean;

  @ApiPropertyOptional({ enum: [...PORTFOLIOS], isArray: true, description: '分管领域: what the cadre is in charge of' })
  @Absent()
  @IsArray()
  @ArrayMaxSize(PORTFOLIOS.length)
  @ArrayUnique()
  @IsIn([...PORTFOLIOS], { each: true })
  portfolios?: Portfolio[];

  @ApiPropertyOptional({ description: '党委(党组)书记 of the unit' })
  @Absent()
  @IsBoolean()
  partySecretary?: boolean;
}
