import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { IDENTIFIER_PATTERN } from '@cadre-ledger/domain';
import { ValidationProblem } from './problem';

/** Path ids (`cadreId`, `unitId`, `caseId`) follow the identifier pattern of API.md: a bad one is a 400. */
@Injectable()
export class IdentifierPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value !== 'string' || !IDENTIFIER_PATTERN.test(value)) {
      throw new ValidationProblem([{ field: metadata.data ?? 'id', message: `must match ${IDENTIFIER_PATTERN.source}` }]);
    }
    return value;
  }
}
