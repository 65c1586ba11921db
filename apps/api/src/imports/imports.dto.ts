import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '../common/validation';

export class ImportUploadDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The .xlsx workbook or .csv file' })
  file!: unknown;
  @ApiPropertyOptional({ enum: ['live', 'historical'], default: 'live' }) mode?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'Append the cadres whose rows are all valid' }) partial?: string;
  @ApiPropertyOptional({ description: 'A .csv file\'s sheet when its file name is not one (干部登记, 诫勉, …)' }) sheet?: string;
}

export class ImportProgressDto {
  @ApiProperty({ nullable: true, type: String, enum: ['reading', 'deciding', 'appending', 'done'] }) phase!: string | null;
  @ApiProperty() done!: number;
  @ApiProperty() total!: number;
}

export class ImportJobDto {
  @ApiProperty({ format: 'uuid' }) importId!: string;
  @ApiProperty({ enum: ['running', 'succeeded', 'refused', 'failed', 'interrupted'], description: 'refused: a row had a problem and nothing was appended (all or nothing)' }) status!: string;
  @ApiProperty() fileName!: string;
  @ApiProperty({ enum: ['live', 'historical'] }) mode!: string;
  @ApiProperty() partial!: boolean;
  @ApiProperty({ type: ImportProgressDto }) progress!: ImportProgressDto;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'When done: rows, imported, alreadyStored, duplicates, appended, problemCount (every problem found), problemsNotListed (found beyond LEDGER_IMPORT_MAX_PROBLEMS), problems (the first 100 [{sheet, row, column, message, code?}]; every listed one at GET /v1/imports/{id}/problems), conflicts, bySheet',
  })
  report!: unknown;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
}

export class ImportProblemQueryDto extends PageQueryDto {}

export class ImportProblemDto {
  @ApiProperty() sheet!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'As Excel numbers it' }) row!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'The column\'s header' }) column!: string | null;
  @ApiProperty({ description: 'In Chinese' }) message!: string;
  @ApiPropertyOptional() code?: string;
}

export class ImportProblemPageDto {
  @ApiProperty({ type: [ImportProblemDto] }) items!: ImportProblemDto[];
  @ApiProperty({ description: 'Problems the report lists (problemCount counts every one found)' }) total!: number;
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
