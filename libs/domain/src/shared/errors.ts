/**
 * Every refusal of the domain is a `DomainError` with a stable `code` and a `category` that the
 * HTTP layer maps to a status (API.md, status table): the category says what kind of refusal it is,
 * so adapters never parse messages.
 */
export type DomainErrorCategory =
  /** 400: the request is malformed in a way a schema could have caught. */
  | 'invalid'
  /** 404: no such cadre, unit or case. */
  | 'not-found'
  /** 409: conflicts with the history (duplicates, steps out of order, promotion refused). */
  | 'conflict'
  /** 422: well-formed but against the rules. */
  | 'unprocessable';

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly category: DomainErrorCategory,
    message: string,
    /** Extra members for the problem document (e.g. `locks`, `currentStep`). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
