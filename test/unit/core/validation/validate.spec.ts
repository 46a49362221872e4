import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { UnifiedOrderDto } from '../../../../lib/core/products/payments/payments.v2.dto.js';
import { V2RefundDto } from '../../../../lib/core/products/refunds/refunds.v2.dto.js';
import { certainlyValid, type Dto } from '../../../../lib/core/validation/fast-check.js';
import {
  H5PrepayDto,
  JsapiPrepayDto,
  OutTradeNoDto,
  PrepayDto,
} from '../../../../lib/core/products/payments/payments.dto.js';
import { RefundDto } from '../../../../lib/core/products/refunds/refunds.dto.js';
import { assertValid, nestedOf } from '../../../../lib/core/validation/validate.js';
import { WechatPayValidationError } from '../../../../lib/index.js';

// The per-call fast path must agree with class-validator: whatever it accepts, class-validator
// accepts; whatever class-validator rejects still fails with class-validator's own messages.
const order = { description: 'Cup', out_trade_no: 'ORDER000001', amount: { total: 100 } };
const cases: [Dto, string, Record<string, unknown>][] = [
  [OutTradeNoDto, 'a merchant order number', { out_trade_no: 'ORDER000001' }],
  [OutTradeNoDto, 'a short order number', { out_trade_no: 'abc' }],
  [OutTradeNoDto, 'a number for an order number', { out_trade_no: 123456789 }],
  [PrepayDto, 'an order', order],
  [PrepayDto, 'an order with fields WeChat Pay added later', { ...order, future_field: 1 }],
  [PrepayDto, 'a zero amount', { ...order, amount: { total: 0 } }],
  [PrepayDto, 'an amount that is not an object', { ...order, amount: 100 }],
  [PrepayDto, 'an amount in an array', { ...order, amount: [{ total: 1 }] }],
  [PrepayDto, 'no description', { ...order, description: undefined }],
  [PrepayDto, 'a scene with a bad IP', { ...order, scene_info: { payer_client_ip: 'x' } }],
  [
    JsapiPrepayDto,
    'a JSAPI order',
    { ...order, payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } },
  ],
  [JsapiPrepayDto, 'a JSAPI order without payer', order],
  [JsapiPrepayDto, 'a JSAPI order with an empty payer', { ...order, payer: {} }],
  [
    H5PrepayDto,
    'an H5 order',
    { ...order, scene_info: { payer_client_ip: '127.0.0.1', h5_info: { type: 'Wap' } } },
  ],
  [
    H5PrepayDto,
    'an H5 order without h5_info',
    { ...order, scene_info: { payer_client_ip: '127.0.0.1' } },
  ],
  [
    RefundDto,
    'a refund',
    {
      out_trade_no: 'ORDER000001',
      out_refund_no: 'R1',
      amount: { refund: 1, total: 1, currency: 'CNY' },
    },
  ],
  [RefundDto, 'a refund with no amount', { out_trade_no: 'ORDER000001', out_refund_no: 'R1' }],
  [
    UnifiedOrderDto,
    'a v2 order',
    {
      body: 'Cup',
      out_trade_no: 'ORDER000001',
      total_fee: 1,
      spbill_create_ip: '127.0.0.1',
      trade_type: 'NATIVE',
    },
  ],
  [
    UnifiedOrderDto,
    'a v2 order of an unknown type',
    {
      body: 'Cup',
      out_trade_no: 'ORDER000001',
      total_fee: 1,
      spbill_create_ip: '127.0.0.1',
      trade_type: 'X',
    },
  ],
  [V2RefundDto, 'a v2 refund without fees', { out_trade_no: 'ORDER000001', out_refund_no: 'R1' }],
];

describe('request validation: the fast path agrees with class-validator', () => {
  it.each(cases)('%o: %s', (dto, _, input) => {
    const errors = validateSync(plainToInstance(dto, input), {
      validationError: { target: false, value: false },
    });
    const instance = Object.assign(Object.create(dto.prototype as object) as object, input);
    for (const [property, type] of nestedOf(dto)) {
      const value = input[property];
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        (instance as Record<string, unknown>)[property] = plainToInstance(type, value);
      }
    }
    const fast = certainlyValid(dto, instance, nestedOf);
    // Valid inputs take the fast path; invalid ones never do.
    expect(fast).toBe(errors.length === 0);
    if (errors.length === 0) {
      expect(() => assertValid(dto, input, 'request')).not.toThrow();
    } else {
      expect(() => assertValid(dto, input, 'request')).toThrow(WechatPayValidationError);
    }
  });

  it('finds the nested classes from the DTOs’ @Type', () => {
    expect(nestedOf(JsapiPrepayDto).get('payer')?.name).toBe('PayerDto');
    expect(nestedOf(PrepayDto).get('amount')?.name).toBe('AmountDto');
    expect(nestedOf(OutTradeNoDto).size).toBe(0);
  });
});
