import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { WechatPayValidationError, type WechatPayValidationProblem } from '../../errors.js';

/**
 * Checks `input` against a DTO class before anything is sent. The input itself is what gets
 * sent (the DTO only checks it), so fields WeChat Pay adds later still pass through.
 * @throws WechatPayValidationError listing every rejected field by its path
 */
export function assertValid(dto: new () => object, input: unknown, what: string): void {
  if (typeof input !== 'object' || input === null) {
    throw new WechatPayValidationError(what, [{ field: '(root)', message: 'must be an object' }]);
  }
  const errors = validateSync(plainToInstance(dto, input), {
    validationError: { target: false, value: false },
  });
  if (errors.length) throw new WechatPayValidationError(what, flatten(errors));
}

function flatten(errors: ValidationError[], prefix = ''): WechatPayValidationProblem[] {
  return errors.flatMap((error) => {
    const field = prefix + error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], `${field}.`)];
  });
}
