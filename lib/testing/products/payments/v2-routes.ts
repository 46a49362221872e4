import type { V2Fields } from '../../../core/v2/xml.js';
import type { PrepayChannel } from '../../../core/products/payments/payments.types.js';
import { findOrThrow } from '../../find-or-throw.js';
import type { TestMerchant } from '../../test-merchant.js';
import { V2Failure, v2NotFound } from '../../v2/answers.js';
import type { V2Route, V2RouteRequest } from '../../v2/route.js';
import { isPaid, type OrderBook, type SimulatedOrder } from './orders.js';
import { v2OrderFields } from './transaction.js';

const CHANNELS: Record<string, PrepayChannel> = {
  JSAPI: 'jsapi',
  NATIVE: 'native',
  APP: 'app',
  MWEB: 'h5',
};

const REQUIRED_ORDER_FIELDS = [
  'appid',
  'body',
  'out_trade_no',
  'total_fee',
  'spbill_create_ip',
  'notify_url',
  'trade_type',
];

/** API v2 payments: unified order, query, close (micropay and reverse: the code-payments product). */
export function paymentsV2Routes(orders: OrderBook): Record<string, V2Route> {
  return {
    '/pay/unifiedorder': (r) => {
      const order = placeOrder(orders, r);
      const { trade_type } = r.fields;
      return {
        fields: {
          trade_type,
          prepay_id: order.prepayId,
          ...(trade_type === 'NATIVE'
            ? { code_url: `weixin://wxpay/bizpayurl?pr=${order.prepayId.slice(-7)}` }
            : {}),
          ...(trade_type === 'MWEB'
            ? {
                mweb_url: `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${order.prepayId}`,
              }
            : {}),
        },
      };
    },
    '/pay/orderquery': (r) => ({
      fields: { ...v2OrderFields(findV2Order(orders, r)), trade_state_desc: undefined },
    }),
    '/pay/closeorder': (r) => {
      orders.beforeClose(r.fields.out_trade_no ?? '');
      const order = findV2Order(orders, r);
      if (isPaid(order)) throw new V2Failure('ORDERPAID', '订单已支付');
      if (order.state === 'CLOSED') throw new V2Failure('ORDERCLOSED', '订单已关闭，无法重复关闭');
      order.state = 'CLOSED';
      return { fields: {} };
    },
  };
}

/** The order a v2 request names by `transaction_id` or `out_trade_no`, or ORDERNOTEXIST. */
export function findV2Order(
  orders: OrderBook,
  { fields: f, merchant }: { fields: V2Fields; merchant: TestMerchant },
): SimulatedOrder {
  return findOrThrow(
    f.transaction_id
      ? orders.findByTransactionId(merchant.mchid, f.sub_mch_id, f.transaction_id)
      : orders.find(merchant.mchid, f.sub_mch_id, f.out_trade_no ?? ''),
    v2NotFound('ORDERNOTEXIST', '此交易订单号不存在'),
  );
}

function placeOrder(
  orders: OrderBook,
  { fields: f, merchant, signType, sandbox }: Omit<V2RouteRequest, 'path'>,
): SimulatedOrder {
  for (const field of REQUIRED_ORDER_FIELDS) {
    if (!f[field]) throw new V2Failure('PARAM_ERROR', `缺少参数${field}`);
  }
  const total = Number(f.total_fee);
  if (!Number.isInteger(total) || total <= 0)
    throw new V2Failure('PARAM_ERROR', 'total_fee必须为正整数');
  if (f.trade_type === 'JSAPI' && !f.openid && !f.sub_openid)
    throw new V2Failure('PARAM_ERROR', 'JSAPI支付必须传openid');
  const existing = orders.find(merchant.mchid, f.sub_mch_id, f.out_trade_no!);
  if (existing) {
    if (isPaid(existing)) throw new V2Failure('ORDERPAID', '该订单已支付');
    if (existing.total !== total) throw new V2Failure('INVALID_REQUEST', '201 商户订单号重复');
    return existing;
  }
  return orders.add({
    mchid: merchant.mchid,
    subMchid: f.sub_mch_id,
    appid: f.appid!,
    subAppid: f.sub_appid,
    channel: CHANNELS[f.trade_type!] ?? 'native',
    outTradeNo: f.out_trade_no!,
    description: f.body!,
    total,
    currency: f.fee_type ?? 'CNY',
    attach: f.attach,
    notifyUrl: f.notify_url!,
    payer: f.openid
      ? { openid: f.openid }
      : f.sub_openid
        ? { sub_openid: f.sub_openid }
        : undefined,
    apiVersion: 'v2',
    v2SignType: signType,
    v2Sandbox: sandbox,
  });
}
