import { randomBytes } from 'node:crypto';
import type {
  CombineSubOrder,
  CombineTransaction,
} from '../../../core/products/combine/combine.types.js';
import type { PrepayChannel } from '../../../core/products/payments/payments.types.js';
import { randomDigits } from '../../ids.js';
import { chinaTime } from '../../time.js';
import { isPaid, type SimulatedOrder } from '../payments/orders.js';
import { transactionJson } from '../payments/transaction.js';

/**
 * A combine order as the simulator keeps it. Its sub-orders are ordinary orders of the payments
 * product's OrderBook (so refunds, queries and bills treat them like any other order); the
 * combine order only groups them under one number, one payment and one notification.
 */
export interface SimulatedCombineOrder {
  /** 合单商户号: who placed it (the service provider in partner mode). */
  combineMchid: string;
  combineAppid: string;
  combineOutTradeNo: string;
  channel: PrepayChannel;
  prepayId: string;
  notifyUrl: string;
  subOrders: SimulatedOrder[];
  /** 合单支付者 as given at prepay, then as the payer paid. */
  payer?: { openid?: string; sub_openid?: string };
  sceneInfo?: { device_id?: string };
  closed: boolean;
  /** Id of the combine TRANSACTION.SUCCESS notification, the same on every delivery. */
  notificationId?: string;
}

/** The combine product's records, by merchant and combine number. */
export class CombineBook {
  private readonly combines = new Map<string, SimulatedCombineOrder>();

  /** The combine order `combineOutTradeNo` placed by `mchid`. */
  find(mchid: string, combineOutTradeNo: string): SimulatedCombineOrder | undefined {
    return this.combines.get(`${mchid}/${combineOutTradeNo}`);
  }

  /** Any combine order with this number, whoever placed it (for test hooks). */
  findAny(combineOutTradeNo: string): SimulatedCombineOrder | undefined {
    for (const combine of this.combines.values())
      if (combine.combineOutTradeNo === combineOutTradeNo) return combine;
    return undefined;
  }

  /** Every combine order, in the order they were placed. */
  all(): SimulatedCombineOrder[] {
    return [...this.combines.values()];
  }

  /** Records a combine order whose sub-orders are already in the OrderBook. */
  add(
    fields: Omit<SimulatedCombineOrder, 'prepayId' | 'closed' | 'notificationId'>,
  ): SimulatedCombineOrder {
    const combine: SimulatedCombineOrder = {
      ...fields,
      prepayId: `wx${randomDigits(12)}${randomBytes(8).toString('hex')}`,
      closed: false,
    };
    this.combines.set(`${combine.combineMchid}/${combine.combineOutTradeNo}`, combine);
    return combine;
  }
}

/** Whether every sub-order has been paid (and maybe refunded since). */
export const isCombinePaid = (combine: SimulatedCombineOrder): boolean =>
  combine.subOrders.every(isPaid);

/** The v3 JSON of a combine order, as the query answers and the notification carries it. */
export function combineJson(combine: SimulatedCombineOrder): CombineTransaction {
  return {
    combine_appid: combine.combineAppid,
    combine_mchid: combine.combineMchid,
    combine_out_trade_no: combine.combineOutTradeNo,
    ...(combine.sceneInfo ? { scene_info: combine.sceneInfo } : {}),
    sub_orders: combine.subOrders.map(subOrderJson),
    ...(isCombinePaid(combine) && combine.payer ? { combine_payer_info: combine.payer } : {}),
  };
}

function subOrderJson(order: SimulatedOrder): CombineSubOrder {
  const paid = isPaid(order);
  const { trade_type } = transactionJson(order);
  return {
    mchid: order.mchid,
    ...(order.subMchid ? { sub_mchid: order.subMchid } : {}),
    ...(order.subAppid ? { sub_appid: order.subAppid } : {}),
    ...(order.payer?.sub_openid ? { sub_openid: order.payer.sub_openid } : {}),
    trade_type,
    trade_state: order.state,
    attach: order.attach ?? '',
    out_trade_no: order.outTradeNo,
    ...(paid
      ? {
          bank_type: 'OTHERS',
          success_time: chinaTime(order.successTime ?? new Date()),
          transaction_id: order.transactionId,
        }
      : {}),
    amount: paid
      ? {
          total_amount: order.total,
          currency: order.currency,
          payer_amount: order.total,
          payer_currency: order.currency,
        }
      : { total_amount: order.total, currency: order.currency },
  };
}
