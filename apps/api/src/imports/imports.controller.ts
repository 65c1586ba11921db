import { tmpdir } from 'node:os';
import { Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CallerOf, Reads, Writes, type Caller } from '../auth/access.decorators';
import { AuthProblems, ReadRoute } from '../common/openapi';
import { ProblemException, ValidationProblem } from '../common/problem';
import { IDEMPOTENCY_KEY_SHAPE } from '../common/write-request';
import { OwnIdempotency } from '../idempotency/write.interceptor';
import { ImportJobDto, ImportUploadDto } from './imports.dto';
import { ImportJobs } from './import-jobs.service';

/** The largest upload taken: a province's history of facts as one workbook. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

@ApiTags('imports')
@Controller('v1/imports')
export class ImportsController {
  constructor(@Inject(ImportJobs) private readonly jobs: ImportJobs) {}

  @Post()
  @Writes('imports')
  @OwnIdempotency()
  @HttpCode(202)
  @UseInterceptors(FileInterceptor('file', { dest: tmpdir(), limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 8 } }))
  @ApiOperation({
    summary: 'Upload a spreadsheet of facts (.xlsx workbook or .csv): an import job that runs in the background; its progress and report at GET /v1/imports/{id}',
    description: 'Sheets and columns as `ledger import --template xlsx` writes them (docs/import). All or nothing unless partial=true; mode live (default) or historical (API.md, "Import modes"). Only cadres and units within the token\'s units.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportUploadDto })
  @ApiAcceptedResponse({ type: ImportJobDto, headers: { Location: { description: 'The job', schema: { type: 'string' } } } })
  @AuthProblems()
  async upload(
    @CallerOf() caller: Caller,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<ImportJobDto> {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const problems: { field: string; message: string }[] = [];
    if (!file) problems.push({ field: 'file', message: 'send the spreadsheet as the multipart field "file" (.xlsx or .csv)' });
    else if (!/\.(xlsx|csv)$/i.test(file.originalname)) problems.push({ field: 'file', message: 'only .xlsx workbooks and .csv files are taken' });
    for (const name of Object.keys(fields)) if (!['mode', 'partial', 'sheet'].includes(name)) problems.push({ field: name, message: `property ${name} should not exist` });
    const mode = fields.mode ?? 'live';
    if (mode !== 'live' && mode !== 'historical') problems.push({ field: 'mode', message: 'mode must be live or historical' });
    const partial = fields.partial ?? 'false';
    if (partial !== 'true' && partial !== 'false') problems.push({ field: 'partial', message: 'partial must be true or false' });
    if (fields.sheet !== undefined && (typeof fields.sheet !== 'string' || fields.sheet.length > 50)) problems.push({ field: 'sheet', message: 'sheet names a sheet such as 诫勉' });
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_SHAPE.test(idempotencyKey)) throw new ProblemException(400, 'bad-idempotency-key', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
    if (problems.length > 0 || !file) throw new ValidationProblem(problems);
    const started = await this.jobs.start(caller, { path: file.path, originalName: Buffer.from(file.originalname, 'latin1').toString('utf8') }, {
      mode: mode as 'live' | 'historical',
      partial: partial === 'true',
      sheet: fields.sheet as string | undefined,
      idempotencyKey,
    });
    if ('conflict' in started) throw new ProblemException(409, 'idempotency-key-reused', `Idempotency-Key ${idempotencyKey} was already used with another upload`);
    res.setHeader('Location', `/v1/imports/${started.job.importId}`);
    if (started.replayed) res.setHeader('Idempotency-Replayed', 'true');
    return started.job;
  }

  @Get(':importId')
  @Reads('imports')
  @ReadRoute('An import job: its progress while it runs, its report (rows, imported, problems with sheet, row and column, conflicts) when done')
  @ApiOkResponse({ type: ImportJobDto })
  async get(@CallerOf() caller: Caller, @Param('importId', new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'import-not-found', 'no such import') })) importId: string): Promise<ImportJobDto> {
    const job = await this.jobs.find(caller, importId);
    if (!job) throw new ProblemException(404, 'import-not-found', `no import ${importId} of yours`);
    return job;
  }
}
