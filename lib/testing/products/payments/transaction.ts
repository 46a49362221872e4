import type { TradeState, Transaction } from '../../../core/products/payments/payments.types.js';
import { chinaTime, v2Time } from '../../time.js';
import { isPaid, type SimulatedOrder } from './orders.js';

/** The v3 JSON shape of an order, in the mode it was placed in. */
export function transactionJson(order: SimulatedOrder): Transaction {
  const identity = order.subMchid
    ? {
        sp_appid: order.appid,
        sp_mchid: order.mchid,
        sub_mchid: order.subMchid,
        ...(order.subAppid ? { sub_appid: order.subAppid } : {}),
      }
    : { appid: order.appid, mchid: order.mchid };
  const paid = isPaid(order);
  return {
    ...identity,
    out_trade_no: order.outTradeNo,
    transaction_id: paid ? order.transactionId : undefined,
    trade_type: TRADE_TYPE[order.channel],
    trade_state: order.state,
    trade_state_desc: TRADE_STATE_DESC[order.state],
    bank_type: paid ? 'OTHERS' : undefined,
    attach: order.attach ?? '',
    success_time: order.successTime ? chinaTime(order.successTime) : undefined,
    payer: order.payer,
    amount: paid
      ? {
          total: order.total,
          payer_total: order.total,
          currency: order.currency,
          payer_currency: order.currency,
        }
      : { total: order.total, currency: order.currency },
  };
}

/** An order as v2 answers and notifications carry it. */
export function v2OrderFields(order: SimulatedOrder): Record<string, string | undefined> {
  return {
    out_trade_no: order.outTradeNo,
    trade_state: order.state,
    trade_state_desc: order.state,
    trade_type: order.channel === 'h5' ? 'MWEB' : order.channel.toUpperCase(),
    total_fee: String(order.total),
    fee_type: order.currency,
    attach: order.attach,
    ...(isPaid(order)
      ? {
          transaction_id: order.transactionId,
          time_end: v2Time(order.successTime ?? new Date()),
          openid: order.payer?.openid ?? order.payer?.sp_openid,
          sub_openid: order.payer?.sub_openid,
          is_subscribe: 'N',
          bank_type: 'OTHERS',
          cash_fee: String(order.total),
        }
      : {}),
  };
}

const TRADE_TYPE = {
  jsapi: 'JSAPI',
  app: 'APP',
  h5: 'MWEB',
  native: 'NATIVE',
  micropay: 'MICROPAY',
} as const satisfies Record<SimulatedOrder['channel'], Transaction['trade_type']>;

const TRADE_STATE_DESC: Record<TradeState, string> = {
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  NOTPAY: '未支付',
  CLOSED: '已关闭',
  REVOKED: '已撤销',
  USERPAYING: '用户支付中',
  PAYERROR: '支付失败',
};
