import { rm } from 'node:fs/promises';
import { Controller, Get, Headers, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CallerOf, Reads, Writes, type Caller } from '../auth/access.decorators';
import { AuthProblems, ReadRoute } from '../common/openapi';
import { ProblemException, ValidationProblem } from '../common/problem';
import { IDEMPOTENCY_KEY_SHAPE } from '../common/write-request';
import { OwnIdempotency } from '../idempotency/write.interceptor';
import { ImportJobDto, ImportProblemPageDto, ImportProblemQueryDto, ImportUploadDto } from './imports.dto';
import { ImportJobs } from './import-jobs.service';
import type { UploadRequest } from './upload-storage';
import { decodeCursor, encodeCursor } from '@cadre-ledger/projections';


const IMPORT_ID = new ParseUUIDPipe({ exceptionFactory: () => new ProblemException(404, 'import-not-found', 'no such import') });

@ApiTags('imports')
@Controller('v1/imports')
export class ImportsController {
  constructor(@Inject(ImportJobs) private readonly jobs: ImportJobs) {}

  @Post()
  @Writes('imports')
  @OwnIdempotency()
  @HttpCode(202)
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({
    summary: 'Upload a spreadsheet of facts (.xlsx workbook or .csv): an import job that runs in the background; its progress and report at GET /v1/imports/{id}',
    description:
      'Sheets and columns as `ledger import --template xlsx` writes them (docs/import). All or nothing unless partial=true; mode live (default) or historical (API.md, "Import modes"). Only cadres and units within the token\'s units. ' +
      'Answered 202 once the file name and the fields are valid; the content is judged by the job, which ends failed with its reason for a file that is not a spreadsheet or is beyond the limits (LEDGER_IMPORT_*: an .xlsx archive is checked from its directory before anything is inflated). A body over LEDGER_IMPORT_MAX_MB is a 413.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportUploadDto })
  @ApiAcceptedResponse({ type: ImportJobDto, headers: { Location: { description: 'The job', schema: { type: 'string' } } } })
  @AuthProblems()
  async upload(
    @CallerOf() caller: Caller,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Req() req: UploadRequest,
    @Res({ passthrough: true }) res: Response,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<ImportJobDto> {
    // Refused here, the upload is removed before the answer: no file outlives a refusal.
    let handedOver = false;
    try {
      const job = await this.accept(caller, file, req, res, idempotencyKey);
      handedOver = true;
      return job;
    } finally {
      if (file && !handedOver) await rm(file.path, { force: true });
    }
  }

  private async accept(caller: Caller, file: Express.Multer.File | undefined, req: UploadRequest, res: Response, idempotencyKey: string | undefined): Promise<ImportJobDto> {
    const fields = (req.body ?? {}) as Record<string, unknown>;
    const problems: { field: string; message: string }[] = [];
    if (req.refusedFileName !== undefined) problems.push({ field: 'file', message: 'only .xlsx workbooks and .csv files are taken' });
    else if (!file) problems.push({ field: 'file', message: 'send the spreadsheet as the multipart field "file" (.xlsx or .csv)' });
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
  @ReadRoute('An import job: its progress while it runs, its report (rows, imported, problemCount, the first 100 problems with sheet, row and column, conflicts) when done')
  @ApiOkResponse({ type: ImportJobDto })
  async get(@CallerOf() caller: Caller, @Param('importId', IMPORT_ID) importId: string): Promise<ImportJobDto> {
    const job = await this.jobs.find(caller, importId);
    if (!job) throw new ProblemException(404, 'import-not-found', `no import ${importId} of yours`);
    return job;
  }

  @Get(':importId/problems')
  @Reads('imports')
  @ReadRoute('The problems an ended import\'s report lists (at most LEDGER_IMPORT_MAX_PROBLEMS, in the order found), a page at a time ({items, total, nextCursor})')
  @ApiOkResponse({ type: ImportProblemPageDto })
  async problems(@CallerOf() caller: Caller, @Param('importId', IMPORT_ID) importId: string, @Query() query: ImportProblemQueryDto): Promise<ImportProblemPageDto> {
    const offset = query.cursor === undefined ? 0 : Number(decodeCursor(query.cursor, [/^\d{1,9}$/])[0]);
    const limit = query.limit ?? 50;
    const page = await this.jobs.problems(caller, importId, offset, limit);
    if (!page) throw new ProblemException(404, 'import-not-found', `no ended import ${importId} of yours`);
    const next = offset + page.items.length;
    return { items: page.items, total: page.total, nextCursor: next < page.total ? encodeCursor([String(next)]) : null };
  }
}
