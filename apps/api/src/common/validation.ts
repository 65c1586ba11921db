import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf, registerDecorator, type ValidationOptions } from 'class-validator';
import { Type } from 'class-transformer';
import { IDENTIFIER_PATTERN, MAX_DOCUMENT_REF_LENGTH, MAX_NOTE_LENGTH, isLocalDate, isTimestamp } from '@cadre-ledger/domain';
import { ValidationProblem } from './problem';

/** Whitelisting, unknown fields refused, no implicit coercion: a wrong type is a 400, never a guess. */
export function ledgerValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationProblem(flatten(errors)),
  });
}

/** Nested class-validator errors as `{field: "position.level", message}`. */
export function flatten(errors: ValidationError[], prefix = ''): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) out.push({ field: field || '(body)', message });
    if (error.children?.length) out.push(...flatten(error.children, field));
  }
  return out.length > 0 || errors.length === 0 ? out : [{ field: prefix || '(body)', message: 'invalid value' }];
}

/**
 * Optional means "may be absent", not "may be null": `@IsOptional()` would let `null` through to
 * the domain. An absent member skips the other validators; a present one (null included) is checked.
 */
export function Absent(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

export function IsLocalDate(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isLocalDate',
      target: target.constructor,
      propertyName: String(propertyKey),
      options: { message: `${String(propertyKey)} must be a YYYY-MM-DD calendar date`, ...options },
      validator: { validate: (value: unknown) => isLocalDate(value) },
    });
}

export function IsRfc3339(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyKey) =>
    registerDecorator({
      name: 'isRfc3339',
      target: target.constructor,
      propertyName: String(propertyKey),
      options: { message: `${String(propertyKey)} must be an RFC 3339 timestamp`, ...options },
      validator: { validate: (value: unknown) => isTimestamp(value) },
    });
}

/** `cadreId`, `unitId`, `caseId` (API.md, "Conventions"). */
export function Identifier(description: string, example: string): PropertyDecorator {
  return composed(
    ApiProperty({ description, example, pattern: IDENTIFIER_PATTERN.source }),
    IsString(),
    Matches(IDENTIFIER_PATTERN, { message: `$property must match ${IDENTIFIER_PATTERN.source}` }),
  );
}

export function EffectiveAt(): PropertyDecorator {
  return composed(
    ApiProperty({ description: 'Business date the decision took effect (China Standard Time); not later than today', format: 'date', example: '2019-03-15' }),
    IsLocalDate(),
  );
}

export function Text(maxLength: number, options: ApiPropertyOptions = {}): PropertyDecorator {
  return composed(ApiProperty({ maxLength, ...options } as ApiPropertyOptions), IsString(), MaxLength(maxLength), Matches(/\S/, { message: '$property must not be blank' }));
}

export function composed(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((d) => d(target, key));
}

/** `documentRef` (文号) and `note`: optional on every write (API.md, "Writes"). */
export class WriteDto {
  @ApiPropertyOptional({ description: '文号 of the decision', maxLength: MAX_DOCUMENT_REF_LENGTH, example: '陕办发〔2018〕24号' })
  @Absent()
  @IsString()
  @MaxLength(MAX_DOCUMENT_REF_LENGTH)
  documentRef?: string;

  @ApiPropertyOptional({ description: 'Free text', maxLength: MAX_NOTE_LENGTH })
  @Absent()
  @IsString()
  @MaxLength(MAX_NOTE_LENGTH)
  note?: string;
}

export const MAX_TEXT_LENGTH = 2000;

/** `cursor` and `limit` of a keyset-paginated list (API.md: `{items, nextCursor}`). */
export class PageQueryDto {
  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

/** A search text in a query string: printable, no control characters, at most 100 characters. */
export function SearchText(description: string): PropertyDecorator {
  return composed(
    ApiPropertyOptional({ description, maxLength: 100 }),
    IsOptional(),
    IsString(),
    Matches(/^[^\p{Cc}\p{Cf}\p{Cs}]{1,100}$/u, { message: '$property must be 1 to 100 printable characters' }),
    Matches(/\S/, { message: '$property must not be blank' }),
  );
}
