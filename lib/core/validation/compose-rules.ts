/**
 * Several property decorators as one, applied as if stacked in the order given (the first one
 * on top). A stack runs bottom-up, so this keeps the order class-validator records the rules
 * in, which is the order a WechatPayValidationError lists a field's problems in.
 * @example
 * const IsFen = () => composeRules(IsPositive({ message }), IsInt({ message }));
 */
export function composeRules(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => {
    for (const decorator of decorators.toReversed()) decorator(target, property);
  };
}
