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
  constructor(configured: string | undefined) {
    super(
      configured
        ? `the PDF font ${configured} (LEDGER_PDF_FONT) cannot be read`
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
      return { path, family, data };
    })();
    // A failure is not kept: a font installed later is found without a restart.
    loaded.catch(() => {
      loaded = null;
    });
    return loaded;
  };
}
