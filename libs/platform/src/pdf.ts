import PDFDocument from 'pdfkit';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** A font PDF dossiers embed: a file, and the face of a collection (.ttc) by PostScript name. */
export interface PdfFont {
  path: string;
  family?: string;
  data: Buffer;
}

/**
 * Debian's CJK fonts, most suitable first (a serif face for an official document): fonts-noto-cjk,
 * fonts-wqy-microhei, fonts-wqy-zenhei. Never fetched: a font is on the machine, or named by
 * LEDGER_PDF_FONT, or the PDF is refused with what to install.
 */
export const CJK_FONT_CANDIDATES = [
  '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc#NotoSerifCJKsc-Regular',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#NotoSansCJKsc-Regular',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc#WenQuanYiMicroHei',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc#WenQuanYiZenHei',
];

export class NoPdfFont extends Error {
  constructor(configured: string | undefined, reason?: string) {
    super(
      configured
        ? `the PDF font ${configured} (LEDGER_PDF_FONT) cannot be used${reason ? `: ${reason}` : ''}`
        : `no CJK font for PDF dossiers on this machine: install Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk) or set LEDGER_PDF_FONT to a TrueType/OpenType file; looked for ${CJK_FONT_CANDIDATES.map((c) => c.split('#')[0]).join(', ')}`,
    );
    this.name = 'NoPdfFont';
  }
}

const split = (spec: string): { path: string; family?: string } => {
  const hash = spec.lastIndexOf('#');
  return hash > 0 && !spec.slice(hash).includes('/') ? { path: spec.slice(0, hash), family: spec.slice(hash + 1) } : { path: spec };
};

/** The configured font, else the first candidate present; read once and kept (fonts are large). */
export function pdfFontLoader(configured: string | undefined, candidates: readonly string[] = CJK_FONT_CANDIDATES): () => Promise<PdfFont> {
  let loaded: Promise<PdfFont> | null = null;
  return () => {
    loaded ??= (async () => {
      const spec = configured ?? candidates.find((c) => existsSync(split(c).path));
      if (!spec) throw new NoPdfFont(undefined);
      const { path, family } = split(spec);
      const data = await readFile(path).catch(() => {
        throw new NoPdfFont(configured);
      });
      // Parsed once here, so that a file that is no font (or a face the collection lacks) is said
      // at once, not as a failure in the middle of a report.
      try {
        const probe = new PDFDocument({ autoFirstPage: false });
        probe.registerFont('probe', data, family);
        probe.font('probe');
      } catch (error) {
        throw new NoPdfFont(spec, error instanceof Error ? error.message : String(error));
      }
      return { path, family, data };
    })();
    // A failure is not kept: a font installed later is found without a restart.
    loaded.catch(() => {
      loaded = null;
    });
    return loaded;
  };
}

/** The page of every printed report of the ledger: A4, margins, the font registered as `cjk`. */
export const PDF_MARGIN = { top: 64, bottom: 60, left: 56, right: 56 } as const;

/**
 * A PDF document (pdfkit) for a printed report: A4, the CJK font embedded as a subset, pages kept
 * so that `finishPdf` can write the running header and "第 n 页 共 m 页" once their count is known.
 * Its dates are the report's own: the same report and font give the same bytes.
 */
export function startPdf(font: PdfFont, info: { title: string; subject: string; author: string; created: Date }): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    margins: PDF_MARGIN,
    bufferPages: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: { Title: info.title, Subject: info.subject, Author: info.author, Creator: 'cadre-ledger', CreationDate: info.created, ModDate: info.created },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('cjk', font.data, font.family);
  doc.font('cjk');
  return { doc, done };
}

/** The running header and the page numbers on every page, then the end of the document. */
export function finishPdf(doc: PDFKit.PDFDocument, header: string): void {
  const width = doc.page.width - PDF_MARGIN.left - PDF_MARGIN.right;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing in the margin must not start a new page
    doc.fillColor('#444444').fontSize(9);
    doc.text(header, PDF_MARGIN.left, 30, { width, lineBreak: false, ellipsis: true });
    doc.moveTo(PDF_MARGIN.left, 46).lineTo(PDF_MARGIN.left + width, 46).lineWidth(0.5).strokeColor('#999999').stroke();
    doc.text(`第 ${i - range.start + 1} 页 共 ${range.count} 页`, PDF_MARGIN.left, doc.page.height - 40, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
}
