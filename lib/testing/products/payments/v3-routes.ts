import type { PrepayChannel } from '../../../core/products/payments/payments.types.js';
import { findOrThrow } from '../../find-or-throw.js';
import {
  notFound,
  ok,
  param,
  SimulatorError,
  type SimulatorAnswer,
  type SimulatorRequest,
  str,
  type V3Route,
} from '../../v3/answers.js';
import { isPaid, type OrderBook, type SimulatedOrder } from './orders.js';
import { transactionJson } from './transaction.js';

const PREPAY = '(jsapi|app|h5|native)';
const orderNotFound = notFound('ORDER_NOT_EXIST', '订单不存在');

/**
 * API v3 payments (prepay, query, close), with WeChat Pay's validation and error codes, in
 * ordinary-merchant and partner mode.
 */
export function paymentsV3Routes(orders: OrderBook): V3Route[] {
  return [
    [
      'POST',
      new RegExp(`^/v3/pay/transactions/${PREPAY}$`),
      (r, m) => prepay(orders, r, m[1] as PrepayChannel, false),
    ],
    [
      'POST',
      new RegExp(`^/v3/pay/partner/transactions/${PREPAY}$`),
      (r, m) => prepay(orders, r, m[1] as PrepayChannel, true),
    ],
    [
      'GET',
      /^\/v3\/pay\/(partner\/)?transactions\/out-trade-no\/([^/]+)$/,
      (r, m) => query(orders, r, !!m[1], { outTradeNo: m[2]! }),
    ],
    [
      'GET',
      /^\/v3\/pay\/(partner\/)?transactions\/id\/([^/]+)$/,
      (r, m) => query(orders, r, !!m[1], { transactionId: m[2]! }),
    ],
    [
      'POST',
      /^\/v3\/pay\/(partner\/)?transactions\/out-trade-no\/([^/]+)\/close$/,
      (r, m) => close(orders, r, !!m[1], m[2]!),
    ],
  ];
}

function prepay(
  orders: OrderBook,
  req: SimulatorRequest,
  channel: PrepayChannel,
  partner: boolean,
): SimulatorAnswer {
  const body = req.json;
  const who = identity(req, partner, body, 'body');
  const appid = str(body, partner ? 'sp_appid' : 'appid');
  const description = str(body, 'description');
  const outTradeNo = str(body, 'out_trade_no');
  const notifyUrl = str(body, 'notify_url');
  const amount = body.amount as { total?: unknown; currency?: unknown } | undefined;
  if (!amount || !Number.isInteger(amount.total) || (amount.total as number) <= 0) {
    throw param('amount.total 必须为正整数 (amount.total must be a positive integer)');
  }
  if (!/^[A-Za-z0-9_\-|*]{6,32}$/.test(outTradeNo)) throw param('out_trade_no 格式错误');
  if (!/^https?:\/\//.test(notifyUrl)) throw param('notify_url 格式错误');
  const payer = body.payer as SimulatedOrder['payer'];
  if (channel === 'jsapi' && !(payer?.openid ?? payer?.sp_openid ?? payer?.sub_openid)) {
    throw param('payer.openid 为必填参数 (payer is required for JSAPI)');
  }
  const scene = body.scene_info as
    { payer_client_ip?: string; h5_info?: { type?: string } } | undefined;
  if (channel === 'h5' && !(scene?.payer_client_ip && scene.h5_info?.type)) {
    throw param('scene_info.payer_client_ip 与 scene_info.h5_info.type 为必填参数');
  }

  const total = amount.total as number;
  let order = orders.find(who.mchid, who.subMchid, outTradeNo);
  if (order) {
    if (isPaid(order)) {
      throw new SimulatorError(400, 'ORDERPAID', '该订单已支付 (the order is already paid)');
    }
    if (order.state === 'CLOSED') throw new SimulatorError(400, 'ORDER_CLOSED', '订单已关闭');
    if (order.total !== total || order.description !== description || order.channel !== channel) {
      throw new SimulatorError(
        400,
        'INVALID_REQUEST',
        '201 商户订单号重复 (out_trade_no reused with other parameters)',
      );
    }
  } else {
    order = orders.add({
      mchid: who.mchid,
      subMchid: who.subMchid,
      appid,
      subAppid: partner ? (body.sub_appid as string | undefined) : undefined,
      channel,
      outTradeNo,
      description,
      total,
      currency: typeof amount.currency === 'string' ? amount.currency : 'CNY',
      attach: body.attach as string | undefined,
      notifyUrl,
      payer,
      profitSharing:
        (body.settle_info as { profit_sharing?: unknown } | undefined)?.profit_sharing === true,
    });
  }
  switch (channel) {
    case 'h5':
      return ok({ h5_url: `${req.baseUrl}/simulator/h5?prepay_id=${order.prepayId}` });
    case 'native':
      return ok({ code_url: `weixin://wxpay/bizpayurl?pr=${order.prepayId.slice(-7)}` });
    default:
      return ok({ prepay_id: order.prepayId });
  }
}

function query(
  orders: OrderBook,
  req: SimulatorRequest,
  partner: boolean,
  key: { outTradeNo?: string; transactionId?: string },
): SimulatorAnswer {
  const who = identity(req, partner, Object.fromEntries(req.url.searchParams), 'query');
  const order = findOrThrow(
    key.outTradeNo
      ? orders.find(who.mchid, who.subMchid, key.outTradeNo)
      : orders.findByTransactionId(who.mchid, who.subMchid, key.transactionId!),
    orderNotFound,
  );
  // An unpaid order has no transaction id yet, so it cannot be found by one.
  if (key.transactionId && order.state === 'NOTPAY') throw orderNotFound();
  return ok(transactionJson(order));
}

function close(
  orders: OrderBook,
  req: SimulatorRequest,
  partner: boolean,
  outTradeNo: string,
): SimulatorAnswer {
  const who = identity(req, partner, req.json, 'body');
  orders.beforeClose(outTradeNo);
  const order = findOrThrow(orders.find(who.mchid, who.subMchid, outTradeNo), orderNotFound);
  if (isPaid(order)) throw new SimulatorError(400, 'ORDERPAID', '订单已支付，不能关闭');
  order.state = 'CLOSED';
  return { status: 204 };
}

/** Checks that the caller acts for the merchant in the body or query. */
export function identity(
  req: SimulatorRequest,
  partner: boolean,
  fields: Record<string, unknown>,
  where: string,
): { mchid: string; subMchid: string | undefined } {
  const mchid = fields[partner ? 'sp_mchid' : 'mchid'];
  if (mchid !== req.mchid) {
    throw param(
      `${partner ? 'sp_mchid' : 'mchid'} in the ${where} must equal the mchid of the Authorization header`,
    );
  }
  const subMchid = partner ? fields.sub_mchid : undefined;
  if (partner && (typeof subMchid !== 'string' || !/^\d+$/.test(subMchid)))
    throw param('sub_mchid 为必填参数');
  return { mchid: req.mchid, subMchid: subMchid as string | undefined };
}
