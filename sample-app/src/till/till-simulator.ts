import type { PaymentCodeScript } from 'nestjs-wechatpay/testing';

/** What the simulated payer does at the till (demo and tests). */
export const PAYER_BEHAVIOURS = ['pays', 'types-password', 'walks-away', 'lacks-funds'] as const;
export type PayerBehaviour = (typeof PAYER_BEHAVIOURS)[number];

/** How each behaviour is scripted in the simulator. */
export const PAYER_SCRIPTS: Record<PayerBehaviour, PaymentCodeScript> = {
  pays: {},
  'types-password': { passwordMs: 150 },
  'walks-away': { passwordMs: 'never' },
  'lacks-funds': { outcome: 'insufficient-funds' },
};

let issued = 0;
/** A fresh payment code as the payer's WeChat shows one: 18 digits beginning 13. */
export function newPaymentCode(): string {
  issued += 1;
  return `13${String(Date.now()).slice(-10)}${String(issued % 1_000_000).padStart(6, '0')}`;
}
