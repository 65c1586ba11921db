/**
 * Checks a quote against the text of a held document (RULEBOOK.md, "Terms used below"): verbatim,
 * found in the document's part of its file, starting and ending on a clause boundary (the start
 * of an article or item, or after 。；;：), with "……" marking an omission between two verbatim
 * segments found in that order. The source reprints mix full-width and ASCII punctuation, so both
 * forms of ; and : count as boundaries; line breaks and the reprint's non-breaking spaces do too.
 */

export const OMISSION = '……';

/** Characters after which a clause may begin, and at which one may end. */
const BOUNDARY_AFTER = new Set(['。', '；', ';', '：', ':', '！', '？', '\n']);
/** Item markers a clause may begin right after: (一) （一） 一、 1. */
const ITEM_MARKER = /(?:[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+\.\s*)$/;
/** An article or measure heading a clause may begin right after: 第十六条, 11. 强化结果运用。 */
const ARTICLE_MARKER = /第[一二三四五六七八九十百]+条[\s\u00a0]*$/;

const isSpace = (c: string) => c === ' ' || c === '\u00a0' || c === '\u3000' || c === '\t' || c === '\r';

function startsOnBoundary(text: string, at: number): boolean {
  let i = at;
  while (i > 0 && isSpace(text[i - 1])) i -= 1;
  if (i === 0 || BOUNDARY_AFTER.has(text[i - 1])) return true;
  const before = text.slice(Math.max(0, i - 12), i);
  return ITEM_MARKER.test(before) || ARTICLE_MARKER.test(text.slice(Math.max(0, at - 12), at));
}

function endsOnBoundary(text: string, end: number, quote: string): boolean {
  const last = quote[quote.length - 1];
  if (BOUNDARY_AFTER.has(last) || last === '。') return true;
  let i = end;
  while (i < text.length && isSpace(text[i])) i += 1;
  return i >= text.length || BOUNDARY_AFTER.has(text[i]);
}

export interface QuoteCheck {
  ok: boolean;
  /** Why not, for the failure message. */
  problem?: string;
  /** Where the quote starts in the text. */
  at?: number;
  end?: number;
}

/** Is `quote` verbatim in `text`, on clause boundaries? Tries every occurrence of the first segment. */
export function checkQuote(text: string, quote: string): QuoteCheck {
  if (quote.startsWith('[')) return { ok: false, problem: 'a [bracketed] paraphrase is not a quote' };
  const segments = quote.split(OMISSION);
  if (segments.some((s) => s.length === 0 && segments.length > 1 && s !== segments[segments.length - 1] && s !== segments[0])) {
    return { ok: false, problem: 'an omission mark must stand between two quoted segments' };
  }
  let found = false;
  for (let from = text.indexOf(segments[0]); from >= 0; from = text.indexOf(segments[0], from + 1)) {
    found = true;
    let end = from + segments[0].length;
    let inOrder = true;
    for (const segment of segments.slice(1)) {
      const next = text.indexOf(segment, end);
      if (next < 0) {
        inOrder = false;
        break;
      }
      end = next + segment.length;
    }
    if (!inOrder) continue;
    if (!startsOnBoundary(text, from)) continue;
    if (!endsOnBoundary(text, end, segments[segments.length - 1])) continue;
    return { ok: true, at: from, end };
  }
  return { ok: false, problem: found ? 'found, but not starting and ending on a clause boundary (or its segments are not in order)' : 'not found in the source text' };
}

/** The part of a file a document occupies. */
export function documentPart(file: string, startsAt?: string, endsBefore?: string): string {
  const start = startsAt ? file.indexOf(startsAt) : 0;
  if (start < 0) throw new Error(`the source file has no ${JSON.stringify(startsAt)}`);
  const end = endsBefore ? file.indexOf(endsBefore, start + (startsAt?.length ?? 0)) : -1;
  return file.slice(start, end < 0 ? file.length : end);
}

/**
 * The span of an article in a document's text, when the article is cited as 第X条 or as a numbered
 * measure (措施11); null when the citation names no such heading (the check is then the document).
 */
export function articleSpan(text: string, article: string): { from: number; to: number } | null {
  const chinese = /^(第[一二三四五六七八九十百]+条)/.exec(article);
  const measure = /^措施(\d+)/.exec(article);
  let heading: RegExp;
  let next: RegExp;
  if (chinese) {
    heading = new RegExp(`(^|\\n)[\\s\\u00a0]*${chinese[1]}[\\s\\u00a0]`);
    next = /\n[\s\u00a0]*第[一二三四五六七八九十百]+条[\s\u00a0]/g;
  } else if (measure) {
    heading = new RegExp(`(^|\\n)${measure[1]}\\.`);
    next = /\n\d+\.|\n[一二三四五六七八九十]+、/g;
  } else {
    return null;
  }
  const found = heading.exec(text);
  if (!found) return null;
  const from = found.index;
  next.lastIndex = from + found[0].length;
  const following = next.exec(text);
  return { from, to: following ? following.index : text.length };
}
