import { NotFoundException } from '@nestjs/common';
import { DomainError } from '@cadre-ledger/domain';
import { DuplicateEventIdConflict, WrongExpectedRevision } from '@cadre-ledger/event-store';
import { parseIfMatch } from './if-match';
import { ProblemException, toProblem } from './problem';

const noIfMatch = { ifMatchSent: false };

describe('toProblem', () => {
  it.each([
    ['invalid', 400],
    ['not-found', 404],
    ['conflict', 409],
    ['unprocessable', 422],
  ] as const)('maps the domain category %s to %d, with its code and details', (category, status) => {
    const { problem } = toProblem(new DomainError('some-code', category, 'why', { currentStep: 'requested' }), noIfMatch);
    expect(problem).toEqual({ type: 'urn:cadre-ledger:problem:some-code', title: expect.any(String), status, detail: 'why', code: 'some-code', currentStep: 'requested' });
  });

  it('makes a lost race a 412 when If-Match was sent and a 409 otherwise', () => {
    const error = new WrongExpectedRevision('cadre-c', 3, 4);
    expect(toProblem(error, { ifMatchSent: true }).problem.status).toBe(412);
    expect(toProblem(error, noIfMatch).problem.status).toBe(409);
    expect(toProblem(new DuplicateEventIdConflict('e', 'cadre-c'), noIfMatch).problem.status).toBe(409);
  });

  it('maps body-parser failures: malformed JSON 400, too large 413', () => {
    expect(toProblem(Object.assign(new Error('x'), { type: 'entity.parse.failed', status: 400 }), noIfMatch).problem.status).toBe(400);
    expect(toProblem(Object.assign(new Error('x'), { type: 'entity.too.large', status: 413 }), noIfMatch).problem.status).toBe(413);
  });

  it('keeps the headers of a ProblemException, and answers 500 without details for anything unknown', () => {
    expect(toProblem(new ProblemException(401, 'unauthenticated', 'no', {}, { 'WWW-Authenticate': 'Bearer' }), noIfMatch).headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
    expect(toProblem(new NotFoundException(), noIfMatch).problem.status).toBe(404);
    const unknown = toProblem(new Error('connection string postgres://secret'), noIfMatch).problem;
    expect(unknown.status).toBe(500);
    expect(JSON.stringify(unknown)).not.toContain('secret');
  });
});

describe('parseIfMatch', () => {
  it('reads "n", W/"n" and n, and refuses anything else', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('W/"3"')).toBe(3);
    expect(parseIfMatch('3')).toBe(3);
    expect(() => parseIfMatch('*')).toThrow(ProblemException);
    expect(() => parseIfMatch('"a"')).toThrow(ProblemException);
  });
});
