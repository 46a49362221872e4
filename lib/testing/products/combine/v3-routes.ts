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
import type { OrderBook, SimulatedOrder } from '../payments/orders.js';
import {
  type CombineBook,
  combineJson,
  isCombinePaid,
  type SimulatedCombineOrder,
} from './combine-book.js';

const OUT_TRADE_NO = /^[A-Za-z0-9_\-|*]{6,32}$/;
const combineNotFound = notFound('ORDER_NOT_EXIST', '订单不存在');

interface SubOrderFields {
  mchid: string;
  subMchid: string | undefined;
  subAppid: string | undefined;
  outTradeNo: string;
  description: string;
  attach: string;
  total: number;
  currency: string;
}

/**
 * API v3 combine payments (合单支付): prepay on the four channels, query and close, with WeChat
 * Pay's validation and error codes. Ordinary merchants' sub-orders carry only `mchid`; partner
 * sub-orders carry the service provider's `mchid` and a `sub_mchid`.
 */
export function combineV3Routes(orders: OrderBook, combines: CombineBook): V3Route[] {
  return [
    [
      'POST',
      /^\/v3\/combine-transactions\/(jsapi|app|h5|native)$/,
      (r, m) => prepay(orders, combines, r, m[1] as PrepayChannel),
    ],
    [
      'GET',
      /^\/v3\/combine-transactions\/out-trade-no\/([^/]+)$/,
      (r, m) => ok(combineJson(findOrThrow(combines.find(r.mchid, m[1]!), combineNotFound))),
    ],
    [
      'POST',
      /^\/v3\/combine-transactions\/out-trade-no\/([^/]+)\/close$/,
      (r, m) => {
        // simulator.onNextClose(combine_out_trade_no, …): e.g. the payer pays just before it.
        orders.beforeClose(m[1]!);
        return close(combines, r, m[1]!);
      },
    ],
  ];
}

function prepay(
  orders: OrderBook,
  combines: CombineBook,
  req: SimulatorRequest,
  channel: PrepayChannel,
): SimulatorAnswer {
  const body = req.json;
  if (str(body, 'combine_mchid') !== req.mchid) {
    throw param('combine_mchid must equal the mchid of the Authorization header');
  }
  const combineAppid = str(body, 'combine_appid');
  const combineOutTradeNo = str(body, 'combine_out_trade_no');
  if (!OUT_TRADE_NO.test(combineOutTradeNo)) throw param('combine_out_trade_no 格式错误');
  const notifyUrl = str(body, 'notify_url');
  if (!/^https?:\/\//.test(notifyUrl)) throw param('notify_url 格式错误');
  const subOrders = subOrderFields(req.mchid, body.sub_orders);
  const payer = body.combine_payer_info as { openid?: string; sub_openid?: string } | undefined;
  if (channel === 'jsapi' && !(payer?.openid ?? payer?.sub_openid)) {
    throw param('combine_payer_info.openid 为必填参数 (the payer is required for JSAPI)');
  }
  const scene = body.scene_info as
    { device_id?: string; payer_client_ip?: string; h5_info?: { type?: string } } | undefined;
  if (channel === 'h5' && !(scene?.payer_client_ip && scene.h5_info?.type)) {
    throw param('scene_info.payer_client_ip 与 scene_info.h5_info.type 为必填参数');
  }

  const existing = combines.find(req.mchid, combineOutTradeNo);
  const combine = existing
    ? reuse(existing, subOrders, channel)
    : combines.add({
        combineMchid: req.mchid,
        combineAppid,
        combineOutTradeNo,
        channel,
        notifyUrl,
        payer,
        sceneInfo: scene?.device_id ? { device_id: scene.device_id } : undefined,
        subOrders: placeSubOrders(orders, subOrders, {
          appid: combineAppid,
          channel,
          notifyUrl,
          payer,
        }),
      });
  switch (channel) {
    case 'h5':
      return ok({ h5_url: `${req.baseUrl}/simulator/h5?prepay_id=${combine.prepayId}` });
    case 'native':
      return ok({ code_url: `weixin://wxpay/bizpayurl?pr=${combine.prepayId.slice(-7)}` });
    default:
      return ok({ prepay_id: combine.prepayId });
  }
}

/** The sub-orders of a prepay body, checked as WeChat Pay checks them. */
function subOrderFields(combineMchid: string, value: unknown): SubOrderFields[] {
  if (!Array.isArray(value) || value.length === 0) throw param('sub_orders 为必填参数');
  const list = value as Record<string, unknown>[];
  const partner = list.some((sub) => sub.sub_mchid !== undefined);
  const [min, max] = partner ? [1, 50] : [2, 10];
  if (list.length < min || list.length > max) {
    throw param(`sub_orders 子单数量须为${min}-${max}笔 (${min} to ${max} sub-orders)`);
  }
  const seen = new Set<string>();
  return list.map((sub, i) => {
    const mchid = str(sub, 'mchid');
    const subMchid = sub.sub_mchid as string | undefined;
    if (partner && (typeof subMchid !== 'string' || !/^\d+$/.test(subMchid))) {
      throw param(`sub_orders[${i}].sub_mchid 为必填参数`);
    }
    if (partner && mchid !== combineMchid) {
      throw param(`sub_orders[${i}].mchid 须为服务商商户号 (the service provider's mchid)`);
    }
    const outTradeNo = str(sub, 'out_trade_no');
    if (!OUT_TRADE_NO.test(outTradeNo)) throw param(`sub_orders[${i}].out_trade_no 格式错误`);
    if (seen.has(outTradeNo)) throw param(`sub_orders[${i}].out_trade_no 重复`);
    seen.add(outTradeNo);
    const amount = sub.amount as { total_amount?: unknown; currency?: unknown } | undefined;
    if (!amount || !Number.isInteger(amount.total_amount) || (amount.total_amount as number) <= 0) {
      throw param(`sub_orders[${i}].amount.total_amount 必须为正整数`);
    }
    return {
      mchid,
      subMchid,
      subAppid: sub.sub_appid as string | undefined,
      outTradeNo,
      description: str(sub, 'description'),
      attach: str(sub, 'attach'),
      total: amount.total_amount as number,
      currency: str(amount, 'currency'),
    };
  });
}

/** The same combine number again: the same order, unless it is paid, closed or differs. */
function reuse(
  combine: SimulatedCombineOrder,
  subOrders: SubOrderFields[],
  channel: PrepayChannel,
): SimulatedCombineOrder {
  if (isCombinePaid(combine)) {
    throw new SimulatorError(400, 'ORDERPAID', '该订单已支付 (the order is already paid)');
  }
  if (combine.closed) throw new SimulatorError(400, 'ORDER_CLOSED', '订单已关闭');
  const same =
    combine.channel === channel &&
    combine.subOrders.length === subOrders.length &&
    combine.subOrders.every(
      (o, i) => o.outTradeNo === subOrders[i]!.outTradeNo && o.total === subOrders[i]!.total,
    );
  if (!same) {
    throw new SimulatorError(
      400,
      'INVALID_REQUEST',
      '201 商户订单号重复 (combine_out_trade_no reused with other parameters)',
    );
  }
  return combine;
}

function placeSubOrders(
  orders: OrderBook,
  subOrders: SubOrderFields[],
  common: {
    appid: string;
    channel: PrepayChannel;
    notifyUrl: string;
    payer: { openid?: string; sub_openid?: string } | undefined;
  },
): SimulatedOrder[] {
  for (const sub of subOrders) {
    if (orders.find(sub.mchid, sub.subMchid, sub.outTradeNo)) {
      throw new SimulatorError(403, 'OUT_TRADE_NO_USED', `商户订单号重复 (${sub.outTradeNo})`);
    }
  }
  return subOrders.map((sub) =>
    orders.add({
      mchid: sub.mchid,
      subMchid: sub.subMchid,
      appid: common.appid,
      subAppid: sub.subAppid,
      channel: common.channel,
      outTradeNo: sub.outTradeNo,
      description: sub.description,
      total: sub.total,
      currency: sub.currency,
      attach: sub.attach,
      notifyUrl: common.notifyUrl,
      payer: common.payer,
    }),
  );
}

function close(
  combines: CombineBook,
  req: SimulatorRequest,
  combineOutTradeNo: string,
): SimulatorAnswer {
  const combine = findOrThrow(combines.find(req.mchid, combineOutTradeNo), combineNotFound);
  if (str(req.json, 'combine_appid') !== combine.combineAppid) {
    throw new SimulatorError(400, 'APPID_MCHID_NOT_MATCH', 'combine_appid 与下单时不一致');
  }
  const named = Array.isArray(req.json.sub_orders)
    ? (req.json.sub_orders as Record<string, unknown>[])
    : [];
  const matches =
    named.length === combine.subOrders.length &&
    combine.subOrders.every((order) =>
      named.some(
        (sub) =>
          sub.mchid === order.mchid &&
          sub.out_trade_no === order.outTradeNo &&
          sub.sub_mchid === order.subMchid,
      ),
    );
  if (!matches) {
    throw new SimulatorError(
      400,
      'INVALID_REQUEST',
      '输入的请求非法,请求关单的子单信息与下单时的子单信息不一致',
    );
  }
  if (isCombinePaid(combine)) throw new SimulatorError(400, 'ORDERPAID', '订单已支付，不能关闭');
  if (combine.closed) throw new SimulatorError(400, 'ORDER_CLOSED', '订单已关闭');
  combine.closed = true;
  for (const order of combine.subOrders) order.state = 'CLOSED';
  return { status: 204 };
}
