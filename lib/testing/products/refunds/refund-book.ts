import type { Refund, RefundStatus } from '../../../core/products/refunds/refunds.types.js';
import { randomDigits } from '../../ids.js';
import { chinaTime } from '../../time.js';
import type { SimulatedOrder } from '../payments/orders.js';

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

/** What a new refund is made of; the simulator adds its id, status and creation time. */
export type NewRefund = Pick<SimulatedRefund, 'outRefundNo' | 'refund' | 'reason' | 'notifyUrl'>;

/** The refunds product's records, by `out_refund_no`. */
export class RefundBook {
  private readonly refunds = new Map<string, SimulatedRefund>();
  /** Called for every refund the API accepts (the simulator settles them on a timer if asked). */
  onAdded: ((refund: SimulatedRefund) => void) | undefined;

  /** The refund, if the merchant (and sub-merchant) it names made it. */
  find(
    mchid: string,
    subMchid: string | undefined,
    outRefundNo: string,
  ): SimulatedRefund | undefined {
    const refund = this.refunds.get(outRefundNo);
    return refund && refund.order.mchid === mchid && refund.order.subMchid === subMchid
      ? refund
      : undefined;
  }

  /** Any refund with this number, whoever made it (for test hooks). */
  findAny(outRefundNo: string): SimulatedRefund | undefined {
    return this.refunds.get(outRefundNo);
  }

  /** Records an accepted refund; the order becomes REFUND and its refundable amount shrinks. */
  add(order: SimulatedOrder, fields: NewRefund): SimulatedRefund {
    const refund: SimulatedRefund = {
      ...fields,
      order,
      refundId: `50000${randomDigits(24)}`,
      status: 'PROCESSING',
      createdAt: new Date(),
    };
    order.refunded += refund.refund;
    order.state = 'REFUND';
    this.refunds.set(refund.outRefundNo, refund);
    this.onAdded?.(refund);
    return refund;
  }

  /** Every refund, in the order they were accepted. */
  all(): SimulatedRefund[] {
    return [...this.refunds.values()];
  }
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
