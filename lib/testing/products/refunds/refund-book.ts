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
  /**
   * Where an ABNORMAL refund was sent instead (发起异常退款), as the simulator decrypted it, so a
   * test can check what the merchant sent.
   */
  abnormalRefund?: AbnormalRefundDestination;
}

/** 发起异常退款 as received: the card holder decrypted. */
export interface AbnormalRefundDestination {
  type: 'USER_BANK_CARD' | 'MERCHANT_BANK_CARD';
  bankType?: string;
  bankAccount?: string;
  realName?: string;
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

  /** The refund with WeChat Pay's id `refundId`, if the merchant (and sub-merchant) made it. */
  findById(
    mchid: string,
    subMchid: string | undefined,
    refundId: string,
  ): SimulatedRefund | undefined {
    return this.all().find(
      (r) => r.refundId === refundId && r.order.mchid === mchid && r.order.subMchid === subMchid,
    );
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
    ...receivedBy(refund.abnormalRefund),
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

/** 退款渠道 and 退款入账账户: the original way, or where an abnormal refund was sent. */
export function receivedBy(
  destination: AbnormalRefundDestination | undefined,
): Pick<Refund, 'channel' | 'user_received_account'> {
  if (!destination) return { channel: 'ORIGINAL', user_received_account: '支付用户零钱' };
  if (destination.type === 'MERCHANT_BANK_CARD') {
    return { channel: 'OTHER_BANKCARD', user_received_account: '交易商户银行账户' };
  }
  return {
    channel: 'OTHER_BANKCARD',
    user_received_account: `${destination.bankType ?? ''}(${(destination.bankAccount ?? '').slice(-4)})`,
  };
}
