import { randomBytes } from 'node:crypto';
import { generateNonce } from '../core/crypto/nonce.js';
import { signV2, type V2SignType, verifyV2 } from '../core/crypto/v2-sign.js';
import { buildV2Xml, parseV2Xml, type V2Fields } from '../core/v2/xml.js';
import type { PrepayChannel } from '../core/products/payments/payments.types.js';
import { buildBillFile } from './simulator-bill.js';
import type { SimulatedOrder, SimulatorState } from './simulator-state.js';
import type { TestMerchant } from './test-merchant.js';

/** An API v2 request as the simulator sees it. */
export interface V2SimulatorRequest {
  path: string;
  body: Buffer;
  /** The mchid of a verified client certificate on the HTTPS listener, if one was presented. */
  clientCertificateMchid: string | undefined;
  /** Answer with this business failure instead (an injected `v2Error` fault). */
  error?: { code: string; message?: string };
}

/** v3 refund statuses in API v2's words. */
export const V2_REFUND_STATUS = {
  PROCESSING: 'PROCESSING',
  SUCCESS: 'SUCCESS',
  ABNORMAL: 'CHANGE',
  CLOSED: 'REFUNDCLOSE',
} as const;

/** The answer: an XML message, or a bill file. */
export type V2SimulatorAnswer = { xml: string } | { file: string };

class V2Failure extends Error {}

const SANDBOX_PREFIX = '/xdc/apiv2sandbox';
const CHANNELS: Record<string, PrepayChannel> = {
  JSAPI: 'jsapi',
  NATIVE: 'native',
  APP: 'app',
  MWEB: 'h5',
};

/** Formats a date as WeChat Pay v2's `yyyyMMddHHmmss`, China time. */
export function v2Time(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().replace(/\D/g, '').slice(0, 14);
}

/**
 * The API v2 endpoints, with WeChat Pay's checks: the signature in the body, the merchant,
 * the client certificate for `/secapi/*` and fund-flow bills, and the sandbox sign key.
 */
export class SimulatorV2Routes {
  private readonly sandboxKeys = new Map<string, string>();

  constructor(
    private readonly state: SimulatorState,
    private readonly merchants: Map<string, TestMerchant>,
  ) {}

  /** The key an order's v2 messages are signed with (the sandbox key in sandbox mode). */
  keyFor(mchid: string, sandbox: boolean): string | undefined {
    return sandbox ? this.sandboxKeys.get(mchid) : this.merchants.get(mchid)?.apiKey;
  }

  handle(request: V2SimulatorRequest): V2SimulatorAnswer {
    let fields: V2Fields;
    try {
      fields = parseV2Xml(request.body.toString('utf8'));
    } catch {
      return fail('XML格式错误 (malformed XML)');
    }
    if (request.path === '/xdc/apiv2getsignkey/sign/getsignkey') return this.sandboxSignKey(fields);
    const sandbox = request.path.startsWith(SANDBOX_PREFIX);
    const path = sandbox ? request.path.slice(SANDBOX_PREFIX.length) : request.path;
    const merchant = this.merchants.get(fields.mch_id ?? '');
    if (!merchant) return fail('mch_id参数错误 (unknown mch_id)');
    const key = this.keyFor(merchant.mchid, sandbox);
    if (!key) return fail('请先获取沙箱密钥 (fetch the sandbox sign key first)');
    const signType = (fields.sign_type ?? 'MD5') as V2SignType;
    if (signType !== 'MD5' && signType !== 'HMAC-SHA256') return fail('sign_type参数错误');
    if (!verifyV2(fields, key, signType)) return fail('签名错误 (signature does not verify)');
    const needsCertificate = path.startsWith('/secapi/') || path === '/pay/downloadfundflow';
    if (needsCertificate && request.clientCertificateMchid !== merchant.mchid) {
      return fail('证书错误: 请使用商户证书 (this endpoint needs the merchant client certificate)');
    }
    try {
      if (request.error) {
        throw new V2Failure(`${request.error.code}|${request.error.message ?? '系统错误'}`);
      }
      const result = this.route(path, fields, merchant, signType, sandbox);
      if ('file' in result) return result;
      return {
        xml: signed({ return_code: 'SUCCESS', return_msg: 'OK', ...result.fields }, key, signType),
      };
    } catch (error) {
      if (!(error instanceof V2Failure)) throw error;
      const [code, description] = error.message.split('|');
      return {
        xml: signed(
          {
            return_code: 'SUCCESS',
            return_msg: 'OK',
            appid: fields.appid,
            mch_id: merchant.mchid,
            nonce_str: generateNonce(),
            result_code: 'FAIL',
            err_code: code,
            err_code_des: description,
          },
          key,
          signType,
        ),
      };
    }
  }

  private route(
    path: string,
    f: V2Fields,
    merchant: TestMerchant,
    signType: V2SignType,
    sandbox: boolean,
  ): { fields: Record<string, string | undefined> } | { file: string } {
    const base = {
      appid: f.appid,
      mch_id: merchant.mchid,
      sub_mch_id: f.sub_mch_id,
      nonce_str: generateNonce(),
      result_code: 'SUCCESS',
    };
    switch (path) {
      case '/pay/unifiedorder': {
        const order = this.placeOrder(f, merchant, signType, sandbox);
        return {
          fields: {
            ...base,
            trade_type: f.trade_type,
            prepay_id: order.prepayId,
            ...(f.trade_type === 'NATIVE'
              ? { code_url: `weixin://wxpay/bizpayurl?pr=${order.prepayId.slice(-7)}` }
              : {}),
            ...(f.trade_type === 'MWEB'
              ? {
                  mweb_url: `https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=${order.prepayId}`,
                }
              : {}),
          },
        };
      }
      case '/pay/micropay': {
        if (!/^\d{18}$/.test(f.auth_code ?? ''))
          throw new V2Failure('AUTH_CODE_INVALID|付款码无效');
        const order = this.placeOrder(
          { ...f, trade_type: 'MICROPAY', notify_url: 'http://127.0.0.1:9/' },
          merchant,
          signType,
          sandbox,
        );
        order.state = 'SUCCESS';
        order.successTime = new Date();
        order.payer = { openid: 'oSimulatorPayerOpenid000000' };
        return { fields: { ...base, ...this.orderFields(order) } };
      }
      case '/pay/orderquery':
        return {
          fields: {
            ...base,
            ...this.orderFields(this.findOrder(f, merchant)),
            trade_state_desc: undefined,
          },
        };
      case '/pay/closeorder': {
        const order = this.findOrder(f, merchant);
        if (order.state === 'SUCCESS' || order.state === 'REFUND')
          throw new V2Failure('ORDERPAID|订单已支付');
        if (order.state === 'CLOSED') throw new V2Failure('ORDERCLOSED|订单已关闭，无法重复关闭');
        order.state = 'CLOSED';
        return { fields: base };
      }
      case '/secapi/pay/reverse': {
        const order = this.findOrder(f, merchant);
        order.state = 'REVOKED';
        return { fields: { ...base, recall: 'N' } };
      }
      case '/secapi/pay/refund':
        return { fields: { ...base, ...this.refund(f, merchant) } };
      case '/pay/refundquery':
        return { fields: { ...base, ...this.refundQuery(f, merchant) } };
      case '/pay/downloadbill':
      case '/pay/downloadfundflow': {
        if (path === '/pay/downloadfundflow' && signType !== 'HMAC-SHA256')
          throw new V2Failure('SIGN_TYPE_ERROR|资金账单仅支持HMAC-SHA256');
        const date = f.bill_date ?? '';
        if (!/^\d{8}$/.test(date)) throw new V2Failure('INVALID_BILL_DATE|bill_date格式错误');
        const file = buildBillFile(this.state, {
          mchid: merchant.mchid,
          subMchid: f.sub_mch_id,
          date: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}`,
          kind: path === '/pay/downloadbill' ? 'trade' : 'fundflow',
        });
        return { file: file.toString('utf8') };
      }
      default:
        throw new V2Failure(`NOT_FOUND|no such endpoint ${path}`);
    }
  }

  private placeOrder(
    f: V2Fields,
    merchant: TestMerchant,
    signType: V2SignType,
    sandbox: boolean,
  ): SimulatedOrder {
    for (const field of [
      'appid',
      'body',
      'out_trade_no',
      'total_fee',
      'spbill_create_ip',
      'notify_url',
      'trade_type',
    ]) {
      if (!f[field]) throw new V2Failure(`PARAM_ERROR|缺少参数${field}`);
    }
    const total = Number(f.total_fee);
    if (!Number.isInteger(total) || total <= 0)
      throw new V2Failure('PARAM_ERROR|total_fee必须为正整数');
    if (f.trade_type === 'JSAPI' && !f.openid && !f.sub_openid)
      throw new V2Failure('PARAM_ERROR|JSAPI支付必须传openid');
    const existing = this.state.findOrder(merchant.mchid, f.sub_mch_id, f.out_trade_no!);
    if (existing) {
      if (existing.state === 'SUCCESS' || existing.state === 'REFUND')
        throw new V2Failure('ORDERPAID|该订单已支付');
      if (existing.total !== total) throw new V2Failure('INVALID_REQUEST|201 商户订单号重复');
      return existing;
    }
    return this.state.addOrder({
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

  private findOrder(f: V2Fields, merchant: TestMerchant): SimulatedOrder {
    const order = f.transaction_id
      ? this.state.findOrderByTransactionId(merchant.mchid, f.sub_mch_id, f.transaction_id)
      : this.state.findOrder(merchant.mchid, f.sub_mch_id, f.out_trade_no ?? '');
    if (!order) throw new V2Failure('ORDERNOTEXIST|此交易订单号不存在');
    return order;
  }

  /** An order as v2 answers and notifications carry it. */
  orderFields(order: SimulatedOrder): Record<string, string | undefined> {
    const paid = order.state === 'SUCCESS' || order.state === 'REFUND';
    return {
      out_trade_no: order.outTradeNo,
      trade_state: order.state,
      trade_state_desc: order.state,
      trade_type: order.channel === 'h5' ? 'MWEB' : order.channel.toUpperCase(),
      total_fee: String(order.total),
      fee_type: order.currency,
      attach: order.attach,
      ...(paid
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

  private refund(f: V2Fields, merchant: TestMerchant): Record<string, string | undefined> {
    const order = this.findOrder(f, merchant);
    const existing = this.state.findRefund(merchant.mchid, f.sub_mch_id, f.out_refund_no ?? '');
    const refundFee = Number(f.refund_fee);
    if (!existing) {
      if (order.state !== 'SUCCESS' && order.state !== 'REFUND')
        throw new V2Failure('TRADE_STATE_ERROR|订单状态错误');
      if (Number(f.total_fee) !== order.total)
        throw new V2Failure('PARAM_ERROR|订单金额与原订单不符');
      if (!Number.isInteger(refundFee) || refundFee <= 0)
        throw new V2Failure('PARAM_ERROR|refund_fee必须为正整数');
      if (refundFee > order.total - order.refunded)
        throw new V2Failure('NOTENOUGH|退款金额大于可退金额');
    }
    const refund =
      existing ??
      this.state.addRefund(order, {
        outRefundNo: f.out_refund_no!,
        refund: refundFee,
        notifyUrl: f.notify_url,
      });
    return {
      transaction_id: order.transactionId,
      out_trade_no: order.outTradeNo,
      out_refund_no: refund.outRefundNo,
      refund_id: refund.refundId,
      refund_fee: String(refund.refund),
      total_fee: String(order.total),
      cash_fee: String(order.total),
    };
  }

  private refundQuery(f: V2Fields, merchant: TestMerchant): Record<string, string | undefined> {
    const refunds = this.state
      .allRefunds()
      .filter(
        (r) =>
          r.order.mchid === merchant.mchid &&
          ((f.out_refund_no && r.outRefundNo === f.out_refund_no) ||
            (f.refund_id && r.refundId === f.refund_id) ||
            (f.out_trade_no && r.order.outTradeNo === f.out_trade_no) ||
            (f.transaction_id && r.order.transactionId === f.transaction_id)),
      );
    if (!refunds.length) throw new V2Failure('REFUNDNOTEXIST|退款订单查询失败');
    const fields: Record<string, string | undefined> = {
      transaction_id: refunds[0]!.order.transactionId,
      out_trade_no: refunds[0]!.order.outTradeNo,
      total_fee: String(refunds[0]!.order.total),
      refund_count: String(refunds.length),
    };
    refunds.forEach((r, i) => {
      fields[`out_refund_no_${i}`] = r.outRefundNo;
      fields[`refund_id_${i}`] = r.refundId;
      fields[`refund_fee_${i}`] = String(r.refund);
      fields[`refund_status_${i}`] = V2_REFUND_STATUS[r.status];
      if (r.successTime)
        fields[`refund_success_time_${i}`] = v2Time(r.successTime).replace(
          /(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/,
          '$1-$2-$3 $4:$5:$6',
        );
    });
    return fields;
  }

  private sandboxSignKey(f: V2Fields): V2SimulatorAnswer {
    const merchant = this.merchants.get(f.mch_id ?? '');
    if (!merchant || !verifyV2(f, merchant.apiKey, 'MD5'))
      return fail('签名错误 (getsignkey is signed with MD5 and the real API key)');
    const key = this.sandboxKeys.get(merchant.mchid) ?? randomBytes(16).toString('hex');
    this.sandboxKeys.set(merchant.mchid, key);
    return {
      xml: buildV2Xml({
        return_code: 'SUCCESS',
        return_msg: 'ok',
        mch_id: merchant.mchid,
        sandbox_signkey: key,
      }),
    };
  }
}

function fail(message: string): V2SimulatorAnswer {
  return { xml: buildV2Xml({ return_code: 'FAIL', return_msg: message }) };
}

function signed(
  fields: Record<string, string | undefined>,
  key: string,
  signType: V2SignType,
): string {
  const defined = Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined),
  ) as Record<string, string>;
  return buildV2Xml({ ...defined, sign: signV2(defined, key, signType) });
}
