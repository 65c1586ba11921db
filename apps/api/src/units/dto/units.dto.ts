import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { UNIT_GRADES, type UnitGrade } from '@cadre-ledger/domain';
import { EffectiveAt, WriteDto } from '../../common/validation';

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
