import type { AppClient } from '../simulator/app-client.js';
import type { PayerBehaviour } from './till-simulator.js';
import type { TillResult } from './till.service.js';

/**
 * The demo's till step: for each API version, a payer who pays at once, one who types a
 * password, one who walks away (the order is reversed) and one whose code is not valid.
 */
export async function tillDemo(
  { call }: AppClient,
  step: (text: string) => void,
  show: (label: string, value: unknown) => void,
): Promise<void> {
  const payers: [PayerBehaviour | 'bad-code', string][] = [
    ['pays', 'The payer pays at once'],
    ['types-password', 'The payer types a password (USERPAYING, then queries until paid)'],
    ['walks-away', 'The payer walks away (queries until the deadline, then a reversal)'],
    ['bad-code', 'The cashier scans something that is not a WeChat Pay code'],
  ];
  for (const api of ['v3', 'v2'] as const) {
    for (const [behaviour, text] of payers) {
      step(`${api}: ${text}`);
      const authCode =
        behaviour === 'bad-code'
          ? '999999999999999999'
          : (
              await call<{ authCode: string }>('POST', '/till/simulator/payment-code', {
                behaviour,
              })
            ).authCode;
      const result = await call<TillResult>('POST', '/till/charge', {
        productId: 'coffee',
        api,
        authCode,
      });
      show(
        'till',
        `${result.status}${result.code ? ` (${result.code})` : ''} → the order is ${result.order.status}`,
      );
    }
  }
}
