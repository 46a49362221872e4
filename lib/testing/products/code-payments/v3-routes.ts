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
import type { OrderBook } from '../payments/orders.js';
import { transactionJson } from '../payments/transaction.js';
import { identity } from '../payments/v3-routes.js';
import type { SimulatedTill } from './till.js';

/**
 * API v3 code payments: `codepay` (200 paid, 202 USERPAYING, 403 NOT_ENOUGH …) and `reverse`
 * (500 SYSTEM_ERROR when a test asks for a reversal to be sent again), merchant and partner mode.
 */
export function codePaymentsV3Routes(orders: OrderBook, till: SimulatedTill): V3Route[] {
  return [
    ['POST', /^\/v3\/pay\/(partner\/)?transactions\/codepay$/, (r, m) => codepay(till, r, !!m[1])],
    [
      'POST',
      /^\/v3\/pay\/(partner\/)?transactions\/out-trade-no\/([^/]+)\/reverse$/,
      (r, m) => reverse(orders, till, r, !!m[1], m[2]!),
    ],
  ];
}

function codepay(till: SimulatedTill, req: SimulatorRequest, partner: boolean): SimulatorAnswer {
  const body = req.json;
  const who = identity(req, partner, body, 'body');
  const appid = str(body, partner ? 'sp_appid' : 'appid');
  const description = str(body, 'description');
  const outTradeNo = str(body, 'out_trade_no');
  if (!/^[A-Za-z0-9_\-*]{6,32}$/.test(outTradeNo)) throw param('out_trade_no 格式错误');
  const amount = body.amount as { total?: unknown; currency?: unknown } | undefined;
  if (!amount || !Number.isInteger(amount.total) || (amount.total as number) <= 0) {
    throw param('amount.total 必须为正整数 (amount.total must be a positive integer)');
  }
  const authCode = (body.payer as { auth_code?: unknown } | undefined)?.auth_code;
  if (typeof authCode !== 'string') throw param('payer.auth_code 为必填参数');
  const deviceIp = (body.scene_info as { device_ip?: unknown } | undefined)?.device_ip;
  if (typeof deviceIp !== 'string' || deviceIp === '') {
    throw param('scene_info.device_ip 为必填参数');
  }
  const result = till.charge(
    {
      mchid: who.mchid,
      subMchid: who.subMchid,
      appid,
      subAppid: partner ? (body.sub_appid as string | undefined) : undefined,
      outTradeNo,
      description,
      total: amount.total as number,
      currency: typeof amount.currency === 'string' ? amount.currency : 'CNY',
      attach: body.attach as string | undefined,
      notifyUrl: '',
      apiVersion: 'v3',
    },
    authCode,
  );
  switch (result.kind) {
    case 'paid':
      return ok(transactionJson(result.order));
    case 'userpaying':
      throw new SimulatorError(202, 'USERPAYING', '用户支付中，需要输入密码');
    case 'reused':
      throw new SimulatorError(403, 'OUT_TRADE_NO_USED', '商户订单号重复');
    case 'refused':
      throw result.reason === 'auth-code'
        ? param('payer.auth_code 付款码无效，请扫描微信支付付款码 (10 to 15 and 16 digits)')
        : new SimulatorError(403, 'NOT_ENOUGH', '用户账号余额不足，请用户充值或更换支付卡后再支付');
  }
}

function reverse(
  orders: OrderBook,
  till: SimulatedTill,
  req: SimulatorRequest,
  partner: boolean,
  outTradeNo: string,
): SimulatorAnswer {
  const body = req.json;
  const who = identity(req, partner, body, 'body');
  if (!partner) str(body, 'appid');
  const order = findOrThrow(
    orders.find(who.mchid, who.subMchid, outTradeNo),
    notFound('ORDER_NOT_EXIST', '订单不存在'),
  );
  if (till.reverse(order) === 'retry') {
    throw new SimulatorError(500, 'SYSTEM_ERROR', '系统错误，请使用相同参数再次调用撤销');
  }
  const names = partner
    ? {
        sp_appid: body.sp_appid,
        sp_mchid: who.mchid,
        sub_appid: body.sub_appid,
        sub_mchid: who.subMchid,
      }
    : { appid: body.appid, mchid: who.mchid };
  return ok({ ...names, out_trade_no: order.outTradeNo });
}
