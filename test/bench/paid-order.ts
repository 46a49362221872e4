import type { WechatPaySimulator } from 'nestjs-wechatpay/testing';

/**
 * A paid order placed straight into the simulator's books (no prepay round trip), so the bench
 * can have it sign as many notifications for it as it needs.
 * @returns its out_trade_no
 */
export function paidBenchOrder(
  simulator: WechatPaySimulator,
  outTradeNo: string,
  notifyUrl: string,
): string {
  simulator.state.addOrder({
    mchid: simulator.merchant.mchid,
    appid: simulator.merchant.appid,
    channel: 'native',
    outTradeNo,
    description: 'bench',
    total: 1,
    currency: 'CNY',
    notifyUrl,
  });
  simulator.pay(outTradeNo);
  return outTradeNo;
}
