import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn } from 'class-validator';
import { POSITION_LEVELS, type PositionLevel } from '@cadre-ledger/domain';
import { Text } from '../../common/validation';

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
}
