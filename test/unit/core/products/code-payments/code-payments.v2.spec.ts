import { describe, expect, it } from 'vitest';
import { WechatPayApiError } from '../../../../../lib/core/errors.js';
import { V2CodePayments } from '../../../../../lib/core/products/code-payments/code-payments.v2.js';
import type { V2Payments } from '../../../../../lib/core/products/payments/payments.v2.js';
import type { V2Fields } from '../../../../../lib/core/v2/xml.js';

const clock = () => {
  let time = 0;
  return {
    now: () => time,
    sleep: (ms: number) => {
      time += ms;
      return Promise.resolve();
    },
  };
};

/** V2 payments whose micropay waits for a password forever and whose reversals answer `answers`. */
function payments(answers: (V2Fields | Error)[]) {
  const reversals: string[] = [];
  const fake = {
    micropay: () =>
      Promise.reject(new WechatPayApiError({ status: 200, code: 'USERPAYING', message: '' })),
    query: () => Promise.resolve({ trade_state: 'USERPAYING' }),
    reverse: (ref: { out_trade_no?: string }) => {
      reversals.push(ref.out_trade_no ?? '');
      const answer = answers.shift() ?? { recall: 'N' };
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
  return { reversals, codePayments: new V2CodePayments(fake as unknown as V2Payments) };
}

const order = {
  body: 'Coffee',
  out_trade_no: 'TILL001',
  total_fee: 1,
  spbill_create_ip: '10.0.0.12',
  auth_code: '134567890123456789',
};

describe('V2CodePayments.payAtTill', () => {
  it('reverses again while the answer says recall: Y, in a success or in a failure', async () => {
    const { reversals, codePayments } = payments([
      { result_code: 'SUCCESS', recall: 'Y' },
      // A code the retry classification alone would call a refusal: recall decides.
      new WechatPayApiError({
        status: 200,
        code: 'TRADE_ERROR',
        message: '',
        detail: { result_code: 'FAIL', recall: 'Y' },
      }),
      { result_code: 'SUCCESS', recall: 'N' },
    ]);
    const outcome = await codePayments.payAtTill(order, { clock: clock() });
    expect(outcome).toEqual({ status: 'reversed', outTradeNo: 'TILL001' });
    expect(reversals).toEqual(['TILL001', 'TILL001', 'TILL001']);
  });

  it('a refusal with recall: N is handed to a person at once', async () => {
    const { reversals, codePayments } = payments([
      new WechatPayApiError({
        status: 200,
        code: 'REVERSE_EXPIRE',
        message: '',
        detail: { result_code: 'FAIL', recall: 'N' },
      }),
    ]);
    expect(await codePayments.payAtTill(order, { clock: clock() })).toMatchObject({
      status: 'unknown',
    });
    expect(reversals).toHaveLength(1);
  });
});
