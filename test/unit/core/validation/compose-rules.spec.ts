import { IsInt, IsOptional, IsPositive, Max } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { composeRules } from '../../../../lib/core/validation/compose-rules.js';
import { assertValid } from '../../../../lib/core/validation/validate.js';
import { WechatPayValidationError } from '../../../../lib/index.js';

class Stacked {
  @IsOptional()
  @Max(5, { message: 'must be at most 5' })
  @IsPositive({ message: 'must be positive' })
  @IsInt({ message: 'must be whole' })
  n?: number;
}

class Composed {
  @composeRules(
    IsOptional(),
    Max(5, { message: 'must be at most 5' }),
    IsPositive({ message: 'must be positive' }),
    IsInt({ message: 'must be whole' }),
  )
  n?: number;
}

function problemsOf(dto: new () => object, input: object) {
  try {
    assertValid(dto, input, 'a test');
  } catch (error) {
    if (error instanceof WechatPayValidationError) return error.problems;
    throw error;
  }
  return [];
}

describe('composeRules', () => {
  it('words and orders a field’s problems exactly as the decorator stack it stands for', () => {
    for (const n of [-0.5, 7.5, 'x']) {
      const stacked = problemsOf(Stacked, { n });
      expect(stacked.length).toBeGreaterThan(1);
      expect(problemsOf(Composed, { n })).toEqual(stacked);
    }
  });

  it('keeps every rule of the set, the optional one included', () => {
    expect(problemsOf(Composed, {})).toEqual([]);
    expect(problemsOf(Composed, { n: 3 })).toEqual([]);
    expect(problemsOf(Composed, { n: 6 })).toEqual([{ field: 'n', message: 'must be at most 5' }]);
  });
});
