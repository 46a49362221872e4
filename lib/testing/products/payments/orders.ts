import { randomBytes } from 'node:crypto';
import type { TradeState } from '../../../core/products/payments/payments.types.js';
import type { PrepayChannel } from '../../../core/products/payments/payments.types.js';
import { randomDigits } from '../../ids.js';

/** An order as the simulator keeps it. */
export interface SimulatedOrder {
  /** Who placed it: the merchant, or the service provider in partner mode. */
  mchid: string;
  appid: string;
  /** Partner mode only. */
  subMchid?: string;
  subAppid?: string;
  /** How it is paid: a prepay channel, or `micropay` for a code scanned at the till (付款码). */
  channel: PrepayChannel | 'micropay';
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
  /** Placed with `settle_info.profit_sharing`: paid money stays frozen until split or unfrozen. */
  profitSharing?: boolean;
  /** Id of the order's TRANSACTION.SUCCESS notification, the same on every delivery. */
  notificationId?: string;
}

/** What a new order is made of; the simulator adds its ids, state and creation time. */
export type NewOrder = Omit<
  SimulatedOrder,
  'transactionId' | 'prepayId' | 'state' | 'createdAt' | 'refunded'
>;

/** Whether an order has been paid (and maybe refunded since). */
export const isPaid = (order: SimulatedOrder) =>
  order.state === 'SUCCESS' || order.state === 'REFUND';

/** The payments product's records: orders of both API versions, by merchant and number. */
export class OrderBook {
  private readonly orders = new Map<string, SimulatedOrder>();
  private readonly closeHooks = new Map<string, () => void>();

  /** Runs `hook` before the next close of `outTradeNo` is handled (v3 close or v2 closeorder). */
  onNextClose(outTradeNo: string, hook: () => void): void {
    this.closeHooks.set(outTradeNo, hook);
  }

  /** Called by the close routes before they look at the order. */
  beforeClose(outTradeNo: string): void {
    const hook = this.closeHooks.get(outTradeNo);
    this.closeHooks.delete(outTradeNo);
    hook?.();
  }

  private static key(mchid: string, subMchid: string | undefined, outTradeNo: string): string {
    return `${mchid}/${subMchid ?? ''}/${outTradeNo}`;
  }

  /** The order `outTradeNo` of this merchant (and sub-merchant in partner mode). */
  find(
    mchid: string,
    subMchid: string | undefined,
    outTradeNo: string,
  ): SimulatedOrder | undefined {
    return this.orders.get(OrderBook.key(mchid, subMchid, outTradeNo));
  }

  /** The order with this WeChat Pay transaction id, of this merchant. */
  findByTransactionId(
    mchid: string,
    subMchid: string | undefined,
    transactionId: string,
  ): SimulatedOrder | undefined {
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
  findAny(outTradeNo: string): SimulatedOrder | undefined {
    for (const order of this.orders.values()) if (order.outTradeNo === outTradeNo) return order;
    return undefined;
  }

  /** Records a new NOTPAY order with fresh transaction and prepay ids. */
  add(fields: NewOrder): SimulatedOrder {
    const order: SimulatedOrder = {
      ...fields,
      transactionId: `42000${randomDigits(23)}`,
      prepayId: `wx${randomDigits(12)}${randomBytes(8).toString('hex')}`,
      state: 'NOTPAY',
      createdAt: new Date(),
      refunded: 0,
    };
    this.orders.set(OrderBook.key(order.mchid, order.subMchid, order.outTradeNo), order);
    return order;
  }

  /** Every order, in the order they were placed. */
  all(): SimulatedOrder[] {
    return [...this.orders.values()];
  }
}
