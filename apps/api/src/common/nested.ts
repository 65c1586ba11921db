import { Type } from 'class-transformer';
import { IsDefined, IsObject, ValidateNested } from 'class-validator';
import { composed } from './validation';

/** A nested object member validated with its own DTO class (unknown members refused there too). */
export function Nested(cls: new () => object, required = true): PropertyDecorator {
  const decorators = [IsObject(), ValidateNested(), Type(() => cls)];
  return composed(...(required ? [IsDefined(), ...decorators] : decorators));
}
