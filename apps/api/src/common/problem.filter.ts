import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';
import { languageOf, localized } from './language';

/** Writes the problem document of any error; shared by the Nest filter and the body-parser error handler. */
export function sendProblem(error: unknown, req: Request, res: Response): void {
  const answer = toProblem(error, { ifMatchSent: req.headers['if-match'] !== undefined });
  const { headers } = answer;
  const problem = localized(answer.problem, languageOf(req.headers['accept-language']));
  if (problem.status >= 500) {
    new Logger('ProblemFilter').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).setHeader('Content-Language', languageOf(req.headers['accept-language']));
  res.setHeader('Vary', 'Accept-Language');
  res.send(JSON.stringify(problem));
}

/** The one exception filter: every refusal becomes RFC 9457 application/problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(error, http.getRequest<Request>(), http.getResponse<Response>());
  }
}

/** Express error middleware for what fails before Nest routes (body parsing). */
export function problemMiddleware(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  sendProblem(error, req, res);
}
