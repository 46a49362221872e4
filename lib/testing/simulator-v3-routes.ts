import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { PrepayChannel } from '../core/products/payments/payments.types.js';
import { buildBillFile } from './simulator-bill.js';
import {
  refundJson,
  type SimulatedOrder,
  type SimulatorState,
  transactionJson,
} from './simulator-state.js';

/** An answer of a simulated endpoint. `body: undefined` is an empty 204-style answer. */
export interface SimulatorAnswer {
  status: number;
  body?: unknown;
  /** Raw bytes that are sent unsigned, as bill files are. */
  file?: Buffer;
}

/** A request as the routes see it, after authentication. */
export interface SimulatorRequest {
  method: string;
  url: URL;
  json: Record<string, unknown>;
  /** The mchid of the verified Authorization header. */
  mchid: string;
  /** Base URL of the listener that received it, for links in answers. */
  baseUrl: string;
}

/** A WeChat Pay error answer. */
export class SimulatorError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const param = (message: string) => new SimulatorError(400, 'PARAM_ERROR', message);

type Route = [
  method: string,
  pattern: RegExp,
  handler: (req: SimulatorRequest, match: string[]) => SimulatorAnswer,
];

/**
 * The API v3 endpoints the package calls, with WeChat Pay's validation and error codes, in
 * ordinary-merchant and partner mode.
 */
export class SimulatorV3Routes {
  private readonly routes: Route[];
  private readonly bills = new Map<string, { file: Buffer; gzip: boolean }>();

  constructor(private readonly state: SimulatorState) {
    const prepay = '(jsapi|app|h5|native)';
    this.routes = [
      [
        'POST',
        new RegExp(`^/v3/pay/transactions/${prepay}$`),
        (r, m) => this.prepay(r, m[1] as PrepayChannel, false),
      ],
      [
        'POST',
        new RegExp(`^/v3/pay/partner/transactions/${prepay}$`),
        (r, m) => this.prepay(r, m[1] as PrepayChannel, true),
      ],
      [
        'GET',
        /^\/v3\/pay\/(partner\/)?transactions\/out-trade-no\/([^/]+)$/,
        (r, m) => this.query(r, !!m[1], { outTradeNo: m[2]! }),
      ],
      [
        'GET',
        /^\/v3\/pay\/(partner\/)?transactions\/id\/([^/]+)$/,
        (r, m) => this.query(r, !!m[1], { transactionId: m[2]! }),
      ],
      [
        'POST',
        /^\/v3\/pay\/(partner\/)?transactions\/out-trade-no\/([^/]+)\/close$/,
        (r, m) => this.close(r, !!m[1], m[2]!),
      ],
      ['POST', /^\/v3\/refund\/domestic\/refunds$/, (r) => this.refund(r)],
      ['GET', /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/, (r, m) => this.queryRefund(r, m[1]!)],
      [
        'GET',
        /^\/v3\/bill\/(tradebill|fundflowbill)$/,
        (r, m) => this.applyBill(r, m[1] === 'tradebill'),
      ],
      ['GET', /^\/v3\/billdownload\/file$/, (r) => this.downloadBill(r)],
    ];
  }

  handle(request: SimulatorRequest): SimulatorAnswer {
    for (const [method, pattern, handler] of this.routes) {
      const match = pattern.exec(request.url.pathname);
      if (match && method === request.method) {
        return handler(
          request,
          match.map((part) => (part === undefined ? '' : decodeURIComponent(part))),
        );
      }
    }
    throw new SimulatorError(
      404,
      'RESOURCE_NOT_EXISTS',
      `no such endpoint: ${request.method} ${request.url.pathname}`,
    );
  }

  private prepay(req: SimulatorRequest, channel: PrepayChannel, partner: boolean): SimulatorAnswer {
    const body = req.json;
    const who = this.identity(req, partner, body, 'body');
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
    let order = this.state.findOrder(who.mchid, who.subMchid, outTradeNo);
    if (order) {
      if (order.state === 'SUCCESS' || order.state === 'REFUND') {
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
      order = this.state.addOrder({
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

  private query(
    req: SimulatorRequest,
    partner: boolean,
    key: { outTradeNo?: string; transactionId?: string },
  ): SimulatorAnswer {
    const who = this.identity(req, partner, Object.fromEntries(req.url.searchParams), 'query');
    const order = key.outTradeNo
      ? this.state.findOrder(who.mchid, who.subMchid, key.outTradeNo)
      : this.state.findOrderByTransactionId(who.mchid, who.subMchid, key.transactionId!);
    if (!order || (key.transactionId && order.state === 'NOTPAY')) {
      throw new SimulatorError(404, 'ORDER_NOT_EXIST', '订单不存在');
    }
    return ok(transactionJson(order));
  }

  private close(req: SimulatorRequest, partner: boolean, outTradeNo: string): SimulatorAnswer {
    const who = this.identity(req, partner, req.json, 'body');
    const order = this.state.findOrder(who.mchid, who.subMchid, outTradeNo);
    if (!order) throw new SimulatorError(404, 'ORDER_NOT_EXIST', '订单不存在');
    if (order.state === 'SUCCESS' || order.state === 'REFUND') {
      throw new SimulatorError(400, 'ORDERPAID', '订单已支付，不能关闭');
    }
    order.state = 'CLOSED';
    return { status: 204 };
  }

  private refund(req: SimulatorRequest): SimulatorAnswer {
    const body = req.json;
    const subMchid = body.sub_mchid as string | undefined;
    const outRefundNo = str(body, 'out_refund_no');
    const existing = this.state.findRefund(req.mchid, subMchid, outRefundNo);
    if (existing) return ok(refundJson(existing));
    const order =
      typeof body.transaction_id === 'string'
        ? this.state.findOrderByTransactionId(req.mchid, subMchid, body.transaction_id)
        : this.state.findOrder(req.mchid, subMchid, str(body, 'out_trade_no'));
    if (!order) throw new SimulatorError(404, 'RESOURCE_NOT_EXISTS', '订单不存在 (no such order)');
    if (order.state !== 'SUCCESS' && order.state !== 'REFUND') {
      throw new SimulatorError(
        400,
        'INVALID_REQUEST',
        '订单未支付，不能退款 (the order is not paid)',
      );
    }
    const amount = body.amount as { refund?: unknown; total?: unknown } | undefined;
    if (!amount || !Number.isInteger(amount.refund) || (amount.refund as number) <= 0) {
      throw param('amount.refund 必须为正整数');
    }
    if (amount.total !== order.total)
      throw param('amount.total 与原订单金额不一致 (total differs from the order)');
    if ((amount.refund as number) > order.total - order.refunded) {
      throw new SimulatorError(
        403,
        'NOT_ENOUGH',
        '申请退款金额超过订单可退金额 (refund exceeds the refundable amount)',
      );
    }
    const refund = this.state.addRefund(order, {
      outRefundNo,
      refund: amount.refund as number,
      reason: body.reason as string | undefined,
      notifyUrl: body.notify_url as string | undefined,
    });
    return ok(refundJson(refund));
  }

  private queryRefund(req: SimulatorRequest, outRefundNo: string): SimulatorAnswer {
    const refund = this.state.findRefund(
      req.mchid,
      req.url.searchParams.get('sub_mchid') ?? undefined,
      outRefundNo,
    );
    if (!refund) throw new SimulatorError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
    return ok(refundJson(refund));
  }

  private applyBill(req: SimulatorRequest, trade: boolean): SimulatorAnswer {
    const date = req.url.searchParams.get('bill_date') ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw param('bill_date 格式错误');
    const gzip = req.url.searchParams.get('tar_type') === 'GZIP';
    const file = buildBillFile(this.state, {
      mchid: req.mchid,
      subMchid: req.url.searchParams.get('sub_mchid') ?? undefined,
      date,
      kind: trade ? 'trade' : 'fundflow',
    });
    const token = randomBytes(12).toString('hex');
    this.bills.set(token, { file, gzip });
    return ok({
      hash_type: 'SHA1',
      hash_value: createHash('sha1').update(file).digest('hex'),
      download_url: `${req.baseUrl}/v3/billdownload/file?token=${token}`,
    });
  }

  private downloadBill(req: SimulatorRequest): SimulatorAnswer {
    const bill = this.bills.get(req.url.searchParams.get('token') ?? '');
    if (!bill) throw new SimulatorError(404, 'RESOURCE_NOT_EXISTS', '账单不存在或已过期');
    return { status: 200, file: bill.gzip ? gzipSync(bill.file) : bill.file };
  }

  /** Checks that the caller acts for the merchant in the body or query. */
  private identity(
    req: SimulatorRequest,
    partner: boolean,
    fields: Record<string, unknown>,
    where: string,
  ) {
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
}

function ok(body: unknown): SimulatorAnswer {
  return { status: 200, body };
}

function str(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '')
    throw param(`${field} 为必填参数 (${field} is required)`);
  return value;
}
