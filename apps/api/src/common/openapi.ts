import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDto, WriteResultDto } from './write-result.dto';

const problem = (status: number, description: string) =>
  ApiResponse({ status, description, content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } } });

/** Problem answers every authenticated route may give. */
export const AuthProblems = () =>
  applyDecorators(
    ApiBearerAuth(),
    problem(401, 'No token, bad signature, expired token'),
    problem(403, 'The token\'s roles may not do this'),
  );

/** OpenAPI of a POST that records one event (API.md, "Writes"). */
export function WriteRoute(summary: string, eventType: string, options: { ifMatch?: boolean } = {}) {
  return applyDecorators(
    ApiOperation({ summary, description: `Appends one \`${eventType}\` event.` }),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Same key and body: the first response again, nothing appended; same key, another body: 409' }),
    ...(options.ifMatch === false
      ? []
      : [ApiHeader({ name: 'If-Match', required: false, description: 'Expected stream revision, e.g. "3"; 412 when the stream is elsewhere' })]),
    ApiCreatedResponse({
      type: WriteResultDto,
      description: `The \`${eventType}\` event as stored`,
      headers: { ETag: { description: 'The stream revision after the write, quoted', schema: { type: 'string', example: '"1"' } } },
    }),
    AuthProblems(),
    problem(400, 'Malformed JSON, unknown field, wrong type, missing field, bad enum value, bad id'),
    problem(404, 'No such cadre/unit/case, or outside the token\'s units'),
    problem(409, 'Conflicts with the history (duplicates, a tolerance or adjustment-case step out of order or dated before the previous step, promotion refused with locks), or an Idempotency-Key reused'),
    problem(412, 'If-Match differs from the stream\'s revision'),
    problem(413, 'Body larger than 256 KiB'),
    problem(422, 'Well-formed but against the rules (future effectiveAt, unknown jurisdiction or situation, 三个区分开来)'),
  );
}

/** OpenAPI of a GET. */
export function ReadRoute(summary: string) {
  return applyDecorators(ApiOperation({ summary }), AuthProblems(), problem(400, 'Bad id or query parameter'), problem(404, 'Unknown, or outside the token\'s units'));
}

export const NotImplementedProblem = () => problem(501, 'Served from read models; not available yet');
