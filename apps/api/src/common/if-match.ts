import { ProblemException } from './problem';

/** `If-Match: "<revision>"` (a weak or unquoted form is read the same) → the expected revision. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(-?\d{1,15})"?\s*$/.exec(header);
  if (!match) throw new ProblemException(400, 'bad-if-match', 'If-Match must be "<revision>", e.g. If-Match: "3"');
  return Number(match[1]);
}
