import { Body, Controller, HttpCode, Inject, Post, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { dossierCandidate, type Dossier, type Ledger } from '@cadre-ledger/application';
import { CallerOf, Reads, type Caller } from '../auth/access.decorators';
import { AccessService } from '../audit/access.service';
import { AuthProblems } from '../common/openapi';
import { ProblemException } from '../common/problem';
import { WritesService } from '../common/writes.service';
import { API_OPTIONS, LEDGER, type ApiOptions } from '../tokens';
import { renderDossierHtml } from './dossier-html';
import { renderDossierPdf } from './dossier-pdf';
import { DossierDto, DossierRequestDto } from './dossier.dto';
import { NoPdfFont, pdfFontLoader } from '@cadre-ledger/platform';
import { DOCUMENT_POLICY } from '../common/security-headers';

const FORMATS = ['application/json', 'text/html', 'application/pdf'] as const;

/** 安康: 逐人说明适用条款. The dossier an HR officer files with a nomination. */
@ApiTags('nominations')
@Controller('v1/nominations')
export class NominationsController {
  private readonly font: ReturnType<typeof pdfFontLoader>;

  constructor(
    @Inject(LEDGER) private readonly ledger: Ledger,
    @Inject(WritesService) private readonly writes: WritesService,
    @Inject(AccessService) private readonly access: AccessService,
    @Inject(API_OPTIONS) options: ApiOptions,
  ) {
    this.font = pdfFontLoader(options.pdfFont);
  }

  @Post('dossier')
  @HttpCode(200)
  @Reads('dossier')
  @ApiOperation({
    summary: 'The nomination dossier: per candidate the verdict on asOf, every applicable clause quoted, the facts behind each (type, date, 文号), a one-line conclusion',
    description: 'Accept: application/json (default), text/html (printable, Chinese) or application/pdf (A4, CJK font embedded, page numbers). Every candidate\'s read is in the read audit (what: dossier) before the answer.',
  })
  @ApiProduces(...FORMATS)
  @ApiOkResponse({ type: DossierDto })
  @AuthProblems()
  @ApiResponse({ status: 400, description: 'Bad body: no candidates, a bad or repeated cadre id, a bad date' })
  @ApiResponse({ status: 404, description: 'A candidate unknown, or outside the token\'s units (named)' })
  @ApiResponse({ status: 406, description: 'Accept names none of the three formats' })
  @ApiResponse({ status: 503, description: 'PDF asked for and no CJK font on the server (LEDGER_PDF_FONT)' })
  async dossier(@CallerOf() caller: Caller, @Body() body: DossierRequestDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<Dossier | string | StreamableFile> {
    const format = req.accepts([...FORMATS]);
    if (format === false) throw new ProblemException(406, 'not-acceptable', `the dossier is served as ${FORMATS.join(', ')}; Accept named none of them`);
    const knownAt = body.knownAt ?? this.ledger.now();
    const candidates = [];
    for (const cadreId of body.cadreIds) {
      // An unknown or out-of-scope candidate is a 404 naming it ("no such cadre …").
      const read = await this.writes.visibleCadreRead(caller, cadreId, { withUnits: true });
      const verdict = await this.ledger.eligibility(cadreId, { asOf: body.asOf, knownAt }, read);
      if (!verdict) throw new ProblemException(404, 'not-found', `no such cadre ${cadreId} (not recorded by ${knownAt})`);
      candidates.push(dossierCandidate(read.profile, verdict, [...read.facts, ...(read.unitFacts ?? [])]));
    }
    const dossier: Dossier = {
      asOf: body.asOf,
      knownAt,
      purpose: body.purpose ?? null,
      proposedPosition: body.proposedPosition ? { ...body.proposedPosition } : null,
      generatedAt: this.ledger.now(),
      generatedBy: caller.sub,
      candidates,
    };
    // A PDF needs its font before anything is read into the audit as shown.
    const font = format === 'application/pdf' ? await this.font().catch((error: unknown) => {
      throw error instanceof NoPdfFont ? new ProblemException(503, 'pdf-font-missing', error.message) : error;
    }) : null;
    await this.access.record(caller, body.cadreIds, 'dossier', req);
    res.setHeader('Vary', 'Accept');
    if (format === 'text/html') {
      res.type('text/html; charset=utf-8');
      // Its own inline style and nothing else (every answer already carries nosniff and the strict policy).
      res.setHeader('Content-Security-Policy', DOCUMENT_POLICY);
      return renderDossierHtml(dossier);
    }
    if (font) {
      const pdf = await renderDossierPdf(dossier, font);
      return new StreamableFile(pdf, { type: 'application/pdf', disposition: `inline; filename="dossier-${dossier.asOf}.pdf"`, length: pdf.length });
    }
    return dossier;
  }
}
