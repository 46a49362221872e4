import { getMetadataStorage, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';

/** A DTO class, as class-validator knows it. */
export type Dto = new () => object;

interface PropertyPlan {
  name: string;
  conditions: ValidationMetadata[];
  checks: ValidationMetadata[];
  /** The nested class, for `@ValidateNested()` properties. */
  nested?: Dto;
}

/** `undefined`: the DTO uses a rule this fast path does not model; class-validator decides. */
const plans = new WeakMap<Dto, PropertyPlan[] | undefined>();

/**
 * Whether `object` certainly passes the DTO's class-validator rules, by running the rules'
 * own validators from plans built once per DTO, without class-validator's per-call metadata
 * lookups and error objects. `false` means "not certain": the caller then runs class-validator,
 * which alone words the errors. It never says yes where class-validator would say no.
 *
 * @param nestedOf the class of each nested property (from class-transformer's `@Type`)
 */
export function certainlyValid(
  dto: Dto,
  object: Record<string, unknown>,
  nestedOf: (dto: Dto) => ReadonlyMap<string, Dto>,
): boolean {
  if (!plans.has(dto)) plans.set(dto, planOf(dto, nestedOf(dto)));
  const plan = plans.get(dto);
  if (!plan) return false;
  for (const property of plan) {
    const value = object[property.name];
    if (!property.conditions.every((rule) => (rule.constraints[0] as Condition)(object, value))) {
      continue;
    }
    for (const rule of property.checks) {
      if (!passes(rule, object, value)) return false;
    }
    if (property.nested && value !== undefined) {
      const items: unknown[] = Array.isArray(value) ? value : [value];
      for (const item of items) {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
        if (!certainlyValid(property.nested, item as Record<string, unknown>, nestedOf)) {
          return false;
        }
      }
    }
  }
  return true;
}

type Condition = (object: object, value: unknown) => boolean;

function planOf(dto: Dto, nested: ReadonlyMap<string, Dto>): PropertyPlan[] | undefined {
  const byName = new Map<string, PropertyPlan>();
  for (const rule of getMetadataStorage().getTargetValidationMetadatas(dto, '', false, false)) {
    if (rule.groups?.length || rule.always) return undefined;
    let property = byName.get(rule.propertyName);
    if (!property) {
      property = { name: rule.propertyName, conditions: [], checks: [] };
      byName.set(rule.propertyName, property);
    }
    switch (rule.type) {
      case 'conditionalValidation':
        property.conditions.push(rule);
        break;
      case 'customValidation':
      case 'isDefined':
        property.checks.push(rule);
        break;
      case 'nestedValidation':
        property.nested = nested.get(rule.propertyName);
        if (!property.nested || rule.each) return undefined;
        break;
      default:
        return undefined;
    }
  }
  return [...byName.values()];
}

function passes(rule: ValidationMetadata, object: object, value: unknown): boolean {
  if (rule.validateIf && !rule.validateIf(object, value)) return true;
  for (const constraint of getMetadataStorage().getTargetValidatorConstraints(rule.constraintCls)) {
    if (constraint.async) return false;
    const args: ValidationArguments = {
      targetName: object.constructor.name,
      property: rule.propertyName,
      object,
      value,
      constraints: rule.constraints,
    };
    const values =
      rule.each && (Array.isArray(value) || value instanceof Set || value instanceof Map)
        ? [...(value instanceof Map ? value.values() : value)]
        : [value];
    for (const item of values) {
      const result: unknown = constraint.instance.validate(item, args);
      if (result !== true) return false;
    }
  }
  return true;
}
