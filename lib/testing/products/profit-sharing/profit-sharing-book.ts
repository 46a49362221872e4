import type {
  ProfitSharingOrder,
  ProfitSharingReceiverType,
  ProfitSharingReturn,
} from '../../../core/products/profit-sharing/profit-sharing.types.js';
import { randomDigits } from '../../ids.js';
import { chinaTime } from '../../time.js';
import type { SimulatedOrder } from '../payments/orders.js';

/** A receiver a merchant added (添加分账接收方), with the name it was added with, decrypted. */
export interface SimulatedReceiver {
  type: ProfitSharingReceiverType;
  account: string;
  name?: string;
  relationType: string;
  customRelation?: string;
}

/** One receiver's part of a split. */
export interface SimulatedSplitPart {
  type: ProfitSharingReceiverType;
  account: string;
  amount: number;
  description: string;
  result: 'PENDING' | 'SUCCESS' | 'CLOSED';
  detailId: string;
  finishedAt?: Date;
  /** What returns took back from this part so far. */
  returned: number;
  /** Id of its PROFITSHARING.SUCCESS notification, the same on every delivery. */
  notificationId?: string;
}

/** A split (or an unfreeze, which splits what is left to the merchant itself). */
export interface SimulatedSplit {
  order: SimulatedOrder;
  kind: 'split' | 'unfreeze';
  outOrderNo: string;
  orderId: string;
  state: 'PROCESSING' | 'FINISHED';
  parts: SimulatedSplitPart[];
  createdAt: Date;
}

/** A return from a merchant receiver of a split. */
export interface SimulatedReturn {
  split: SimulatedSplit;
  part: SimulatedSplitPart;
  outReturnNo: string;
  returnId: string;
  amount: number;
  description: string;
  createdAt: Date;
  /** Id of its PROFITSHARING.RETURN notification. */
  notificationId?: string;
}

/** The merchant (and sub-merchant) a record belongs to. */
const owner = (mchid: string, subMchid: string | undefined) => `${mchid}/${subMchid ?? ''}`;

/** The profit-sharing product's records: receivers, splits, returns, unfrozen payments. */
export class ProfitSharingBook {
  private readonly receivers = new Map<string, Map<string, SimulatedReceiver>>();
  private readonly splits = new Map<string, SimulatedSplit>();
  private readonly returns = new Map<string, SimulatedReturn>();
  /** Payments whose frozen rest went back to the merchant: nothing more can be split. */
  private readonly unfrozen = new Set<string>();
  /** Called for every split the API accepts (the simulator finishes them on a timer if asked). */
  onAdded: ((split: SimulatedSplit) => void) | undefined;

  /** The receivers the merchant (and sub-merchant) added. */
  receiversOf(mchid: string, subMchid: string | undefined): Map<string, SimulatedReceiver> {
    const key = owner(mchid, subMchid);
    let receivers = this.receivers.get(key);
    if (!receivers) {
      receivers = new Map<string, SimulatedReceiver>();
      this.receivers.set(key, receivers);
    }
    return receivers;
  }

  /** What is still frozen of a paid order: its total less refunds and live splits. */
  unsplit(order: SimulatedOrder): number {
    if (!order.profitSharing || this.unfrozen.has(order.transactionId)) return 0;
    let split = 0;
    for (const s of this.splits.values()) {
      if (s.order !== order) continue;
      for (const part of s.parts) if (part.result !== 'CLOSED') split += part.amount;
    }
    return Math.max(0, order.total - order.refunded - split);
  }

  /** Ends splitting of a payment: its rest is the merchant's. */
  unfreeze(order: SimulatedOrder): void {
    this.unfrozen.add(order.transactionId);
  }

  /** The split `outOrderNo` of this merchant. */
  split(mchid: string, subMchid: string | undefined, outOrderNo: string) {
    return this.splits.get(`${owner(mchid, subMchid)}/${outOrderNo}`);
  }

  /** Any split with this number, whoever made it (for test hooks). */
  findAnySplit(outOrderNo: string): SimulatedSplit | undefined {
    for (const split of this.splits.values()) if (split.outOrderNo === outOrderNo) return split;
    return undefined;
  }

  /** Records an accepted split (or unfreeze) as PROCESSING, each part PENDING. */
  addSplit(
    order: SimulatedOrder,
    kind: SimulatedSplit['kind'],
    outOrderNo: string,
    parts: Pick<SimulatedSplitPart, 'type' | 'account' | 'amount' | 'description'>[],
  ): SimulatedSplit {
    const split: SimulatedSplit = {
      order,
      kind,
      outOrderNo,
      orderId: `30000${randomDigits(23)}`,
      state: 'PROCESSING',
      parts: parts.map((p) => ({
        ...p,
        result: 'PENDING',
        detailId: `36000${randomDigits(23)}`,
        returned: 0,
      })),
      createdAt: new Date(),
    };
    this.splits.set(`${owner(order.mchid, order.subMchid)}/${outOrderNo}`, split);
    this.onAdded?.(split);
    return split;
  }

  /** The return `outReturnNo` of this merchant. */
  return(mchid: string, subMchid: string | undefined, outReturnNo: string) {
    return this.returns.get(`${owner(mchid, subMchid)}/${outReturnNo}`);
  }

  /** Any return with this number (for test hooks). */
  findAnyReturn(outReturnNo: string): SimulatedReturn | undefined {
    for (const r of this.returns.values()) if (r.outReturnNo === outReturnNo) return r;
    return undefined;
  }

  /** Records a return; it succeeds at once, as WeChat Pay processes returns synchronously. */
  addReturn(fields: Omit<SimulatedReturn, 'returnId' | 'createdAt'>): SimulatedReturn {
    const record: SimulatedReturn = {
      ...fields,
      returnId: `31000${randomDigits(23)}`,
      createdAt: new Date(),
    };
    fields.part.returned += fields.amount;
    const { order } = fields.split;
    this.returns.set(`${owner(order.mchid, order.subMchid)}/${fields.outReturnNo}`, record);
    return record;
  }

  /** Every split, in the order they were accepted. */
  allSplits(): SimulatedSplit[] {
    return [...this.splits.values()];
  }
}

/** The v3 JSON shape of a split. */
export function splitJson(split: SimulatedSplit): ProfitSharingOrder {
  const { order } = split;
  return {
    ...(order.subMchid ? { sub_mchid: order.subMchid } : {}),
    transaction_id: order.transactionId,
    out_order_no: split.outOrderNo,
    order_id: split.orderId,
    state: split.state,
    receivers: split.parts.map((p) => ({
      amount: p.amount,
      description: p.description,
      type: p.type,
      account: p.account,
      result: p.result,
      ...(p.result === 'CLOSED' ? { fail_reason: 'ACCOUNT_ABNORMAL' as const } : {}),
      create_time: chinaTime(split.createdAt),
      finish_time: chinaTime(p.finishedAt ?? split.createdAt),
      detail_id: p.detailId,
    })),
  };
}

/** The v3 JSON shape of a return. */
export function returnJson(record: SimulatedReturn): ProfitSharingReturn {
  const { order } = record.split;
  return {
    ...(order.subMchid ? { sub_mchid: order.subMchid } : {}),
    order_id: record.split.orderId,
    out_order_no: record.split.outOrderNo,
    out_return_no: record.outReturnNo,
    return_id: record.returnId,
    return_mchid: record.part.account,
    amount: record.amount,
    description: record.description,
    result: 'SUCCESS',
    create_time: chinaTime(record.createdAt),
    finish_time: chinaTime(record.createdAt),
  };
}
