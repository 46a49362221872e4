import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { certainlyValid, type Dto } from './fast-check.js';
import { WechatPayValidationError, type WechatPayValidationProblem } from '../errors.js';

/**
 * Checks `input` against a DTO class before anything is sent. The input itself is what gets
 * sent (the DTO only checks it), so fields WeChat Pay adds later still pass through.
 * @throws WechatPayValidationError listing every rejected field by its path
 */
export function assertValid(dto: new () => object, input: unknown, what: string): void {
  if (typeof input !== 'object' || input === null) {
    throw new WechatPayValidationError(what, [{ field: '(root)', message: 'must be an object' }]);
  }
  const instance = instanceOf(dto, input);
  if (certainlyValid(dto, instance as Record<string, unknown>, nestedOf)) return;
  const errors = validateSync(instance, {
    validationError: { target: false, value: false },
  });
  if (errors.length) throw new WechatPayValidationError(what, flatten(errors));
}

/** Per DTO, the class of each nested property it validates, found once. */

const nestedClasses = new WeakMap<Dto, ReadonlyMap<string, Dto>>();

/** The class of each nested property a DTO validates (its `@Type`), found once per DTO. */
export function nestedOf(dto: Dto): ReadonlyMap<string, Dto> {
  let nested = nestedClasses.get(dto);
  if (!nested) {
    const found = new Map<string, Dto>();
    for (const rule of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
      if (rule.type !== 'nestedValidation' || found.has(rule.propertyName)) continue;
      // class-transformer's own answer for the property's @Type, asked once with a probe.
      const probe = plainToInstance(dto, { [rule.propertyName]: {} }) as Record<string, unknown>;
      const type = (probe[rule.propertyName] as object | undefined)?.constructor;
      if (type && type !== Object) found.set(rule.propertyName, type as Dto);
    }
    nested = found;
    nestedClasses.set(dto, nested);
  }
  return nested;
}

/**
 * The input as an instance of the DTO, nested objects as instances of their `@Type`: what
 * class-validator reads its rules from. Built from the classes found once per DTO rather than
 * by class-transformer's walk over the input, which costs as much as the validation itself.
 */
function instanceOf(dto: Dto, input: object): object {
  const instance = Object.assign(Object.create(dto.prototype as object) as object, input);
  for (const [property, type] of nestedOf(dto)) {
    const value = (input as Record<string, unknown>)[property];
    if (value === undefined) continue;
    const toInstance = (item: unknown) =>
      typeof item === 'object' && item !== null && !Array.isArray(item)
        ? instanceOf(type, item)
        : item;
    (instance as Record<string, unknown>)[property] = Array.isArray(value)
      ? value.map(toInstance)
      : toInstance(value);
  }
  return instance;
}

function flatten(errors: ValidationError[], prefix = ''): WechatPayValidationProblem[] {
  return errors.flatMap((error) => {
    const field = prefix + error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], `${field}.`)];
  });
}
