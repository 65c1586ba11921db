import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { AWARDED_BY, COMMENDATION_FIELDS, COMMENDATION_KINDS, COMMENDATION_LEVELS, REVIEW_GRADES, type AwardedBy, type CommendationField, type CommendationKind, type CommendationLevel, type ReviewGrade } from '@cadre-ledger/domain';
import { Absent, EffectiveAt, Text, WriteDto } from '../../common/validation';

export class AnnualReviewDto extends WriteDto {
  @ApiProperty({ example: 2020, minimum: 1949, maximum: 9999 })
  @IsInt()
  @Min(1949)
  @Max(9999)
  year!: number;

  @ApiProperty({ enum: [...REVIEW_GRADES], description: 'excellent 优秀, competent 称职, basically-competent 基本称职, incompetent 不称职' })
  @IsIn([...REVIEW_GRADES])
  grade!: ReviewGrade;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, description: 'Share of 基本称职 + 不称职 votes in the 民主测评' })
  @Absent()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  unfavourableVoteShare?: number;

  @ApiPropertyOptional({ maxLength: 200, description: 'The document (文号) that lets an excellent grade beyond the unit\'s quota, up to the rule\'s cap', example: '陕组字〔2023〕5号' })
  @Absent()
  @IsString()
  @MaxLength(200)
  @Matches(/\S/, { message: 'quotaOverrideRef must not be blank' })
  quotaOverrideRef?: string;

  @EffectiveAt()
  effectiveAt!: string;
}

export class CommendationDto extends WriteDto {
  @ApiProperty({ enum: [...COMMENDATION_LEVELS] })
  @IsIn([...COMMENDATION_LEVELS])
  level!: CommendationLevel;

  @ApiProperty({ enum: [...COMMENDATION_KINDS], description: 'merit-first-class 一等功 … public-praise 通报表扬' })
  @IsIn([...COMMENDATION_KINDS])
  kind!: CommendationKind;

  @Text(200, { example: '全省脱贫攻坚先进个人' })
  title!: string;

  @ApiPropertyOptional({ enum: [...COMMENDATION_FIELDS], description: 'What it was for (陕西 鼓励激励办法 第七条(四) names five fields); omitted on older records' })
  @Absent()
  @IsIn([...COMMENDATION_FIELDS])
  field?: CommendationField;

  @ApiPropertyOptional({ enum: [...AWARDED_BY], description: 'Who awarded it: 党中央、国务院; 省委、省政府; or another body; omitted on older records' })
  @Absent()
  @IsIn([...AWARDED_BY])
  awardedBy?: AwardedBy;

  @EffectiveAt()
  effectiveAt!: string;
}
