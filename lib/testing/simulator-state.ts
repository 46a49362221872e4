import { randomBytes } from 'node:crypto';
import type { PrepayChannel } from '../core/products/payments/payments.types.js';
import type { TradeState, Transaction } from '../core/products/payments/payments.types.js';
import type { Refund, RefundStatus } from '../core/products/refunds/refunds.types.js';

/** An order as the simulator keeps it. */
export interface SimulatedOrder {
  /** Who placed it: the merchant, or the service provider in partner mode. */
  mchid: string;
  appid: string;
  /** Partner mode only. */
  subMchid?: string;
  subAppid?: string;
  channel: PrepayChannel;
  outTradeNo: string;
  transactionId: string;
  prepayId: string;
  description: string;
  total: number;
  currency: string;
  attach?: string;
  notifyUrl: string;
  payer?: { openid?: string; sp_openid?: string; sub_openid?: string };
  state: TradeState;
  createdAt: Date;
  successTime?: Date;
  refunded: number;
  /** The API version that placed the order, which decides the notification format. */
  apiVersion?: 'v2' | 'v3';
  /** API v2: the sign type the order was placed with (its notifications use it too). */
  v2SignType?: 'MD5' | 'HMAC-SHA256';
  /** API v2: placed through the sandbox, so signed with the sandbox key. */
  v2Sandbox?: boolean;
  /** Id of the order's TRANSACTION.SUCCESS notification, the same on every delivery. */
  notificationId?: string;
}

/** A refund as the simulator keeps it. */
export interface SimulatedRefund {
  order: SimulatedOrder;
  outRefundNo: string;
  refundId: string;
  refund: number;
  reason?: string;
  notifyUrl?: string;
  status: RefundStatus;
  createdAt: Date;
  successTime?: Date;
  notificationId?: string;
}

/** WeChat Pay's time format: RFC 3339 in China time. */
export function chinaTime(date: Date): string {
  const shifted = new Date(date.getTime() + 8 * 3_600_000);
  return shifted.toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

const digits = (length: number) => Array.from(randomBytes(length), (b) => String(b % 10)).join('');

/** Orders and refunds shared by every listener and both API versions. */
export class SimulatorState {
  private readonly orders = new Map<string, SimulatedOrder>();
  private readonly refunds = new Map<string, SimulatedRefund>();
  /** Called for every refund the API accepts (the simulator settles them on a timer if asked). */
  onRefundAdded: ((refund: SimulatedRefund) => void) | undefined;

  private static orderKey(mchid: string, subMchid: string | undefined, outTradeNo: string): string {
    return `${mchid}/${subMchid ?? ''}/${outTradeNo}`;
  }

  findOrder(
    mchid: string,
    subMchid: string | undefined,
    outTradeNo: string,
  ): SimulatedOrder | undefined {
    return this.orders.get(SimulatorState.orderKey(mchid, subMchid, outTradeNo));
  }

  findOrderByTransactionId(mchid: string, subMchid: string | undefined, transactionId: string) {
    for (const order of this.orders.values()) {
      if (
        order.mchid === mchid &&
        order.subMchid === subMchid &&
        order.transactionId === transactionId
      )
        return order;
    }
    return undefined;
  }

  /** Any order with this number, whoever placed it (for test hooks). */
  findAnyOrder(outTradeNo: string): SimulatedOrder | undefined {
    for (const order of this.orders.values()) if (order.outTradeNo === outTradeNo) return order;
    return undefined;
  }

  addOrder(
    fields: Omit<SimulatedOrder, 'transactionId' | 'prepayId' | 'state' | 'createdAt' | 'refunded'>,
  ): SimulatedOrder {
    const order: SimulatedOrder = {
      ...fields,
      transactionId: `42000${digits(23)}`,
      prepayId: `wx${digits(12)}${randomBytes(8).toString('hex')}`,
      state: 'NOTPAY',
      createdAt: new Date(),
      refunded: 0,
    };
    this.orders.set(SimulatorState.orderKey(order.mchid, order.subMchid, order.outTradeNo), order);
    return order;
  }

  allOrders(): SimulatedOrder[] {
    return [...this.orders.values()];
  }

  findRefund(
    mchid: string,
    subMchid: string | undefined,
    outRefundNo: string,
  ): SimulatedRefund | undefined {
    const refund = this.refunds.get(outRefundNo);
    return refund && refund.order.mchid === mchid && refund.order.subMchid === subMchid
      ? refund
      : undefined;
  }

  findAnyRefund(outRefundNo: string): SimulatedRefund | undefined {
    return this.refunds.get(outRefundNo);
  }

  addRefund(
    order: SimulatedOrder,
    fields: Pick<SimulatedRefund, 'outRefundNo' | 'refund' | 'reason' | 'notifyUrl'>,
  ): SimulatedRefund {
    const refund: SimulatedRefund = {
      ...fields,
      order,
      refundId: `50000${digits(24)}`,
      status: 'PROCESSING',
      createdAt: new Date(),
    };
    order.refunded += refund.refund;
    order.state = 'REFUND';
    this.refunds.set(refund.outRefundNo, refund);
    this.onRefundAdded?.(refund);
    return refund;
  }

  allRefunds(): SimulatedRefund[] {
    return [...this.refunds.values()];
  }
}

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
  const paid = order.state === 'SUCCESS' || order.state === 'REFUND';
  return {
    ...identity,
    out_trade_no: order.outTradeNo,
    transaction_id: paid ? order.transactionId : undefined,
    trade_type: tradeType(order.channel),
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

/** The v3 JSON shape of a refund. */
export function refundJson(refund: SimulatedRefund): Refund {
  const { order } = refund;
  return {
    refund_id: refund.refundId,
    out_refund_no: refund.outRefundNo,
    transaction_id: order.transactionId,
    out_trade_no: order.outTradeNo,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    success_time: refund.successTime ? chinaTime(refund.successTime) : undefined,
    create_time: chinaTime(refund.createdAt),
    status: refund.status,
    funds_account: 'AVAILABLE',
    amount: {
      total: order.total,
      refund: refund.refund,
      payer_total: order.total,
      payer_refund: refund.refund,
      settlement_refund: refund.refund,
      settlement_total: order.total,
      discount_refund: 0,
      currency: order.currency,
    },
    ...(order.subMchid ? { sub_mchid: order.subMchid } : {}),
  };
}

function tradeType(channel: PrepayChannel): Transaction['trade_type'] {
  return ({ jsapi: 'JSAPI', app: 'APP', h5: 'MWEB', native: 'NATIVE' } as const)[channel];
}

const TRADE_STATE_DESC: Record<TradeState, string> = {
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  NOTPAY: '未支付',
  CLOSED: '已关闭',
  REVOKED: '已撤销',
  USERPAYING: '用户支付中',
  PAYERROR: '支付失败',
};
