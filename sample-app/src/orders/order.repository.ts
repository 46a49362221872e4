import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';

/**
 * CREATED → PAID → REFUNDING → REFUNDED, or CREATED → CLOSED. A refund that WeChat Pay closes
 * goes back to PAID (refund again with a new number); an ABNORMAL one (the payer's card or account
 * cannot take the money back) waits in REFUND_ABNORMAL for staff to settle it in the merchant
 * platform.
 */
export type OrderStatus =
  'CREATED' | 'PAID' | 'REFUNDING' | 'REFUNDED' | 'REFUND_ABNORMAL' | 'CLOSED';
export type ApiVersion = 'v3' | 'v2';

export interface Order {
  /** Our order number, sent to WeChat Pay as `out_trade_no`. */
  id: string;
  productId: string;
  product: string;
  /** Fen. */
  total: number;
  status: OrderStatus;
  api: ApiVersion;
  /** The WechatPayModule registration that takes the money (`undefined`: the default one). */
  merchant?: string;
  codeUrl?: string;
  transactionId?: string;
  /** The out_refund_no of the current refund; a new one for each attempt after a CLOSED refund. */
  refundNo?: string;
  /** Every out_refund_no this order has used. */
  refundNos: string[];
  /** Verified notifications that did not match the order, for staff to look at. */
  anomalies: string[];
  history: OrderStatus[];
}

/**
 * Orders in memory. This is the seam where a real database goes: keep the method names and
 * back them with your ORM. `transition` must be one atomic conditional update
 * (`UPDATE … WHERE id = ? AND status = ?`), so that two notifications can never both win.
 */
@Injectable()
export class OrderRepository {
  private readonly orders = new Map<string, Order>();

  create(fields: Pick<Order, 'productId' | 'product' | 'total' | 'api' | 'merchant'>): Order {
    // 32 characters at most, letters and digits: what out_trade_no allows.
    const id = `SAMPLE${Date.now()}${randomBytes(4).toString('hex')}`;
    const order: Order = {
      ...fields,
      id,
      status: 'CREATED',
      refundNos: [],
      anomalies: [],
      history: ['CREATED'],
    };
    this.orders.set(id, order);
    return order;
  }

  find(id: string): Order | undefined {
    return this.orders.get(id);
  }

  /** Every order (reconciliation's source). */
  all(): Order[] {
    return [...this.orders.values()];
  }

  /** Records something staff must look at. */
  flag(id: string, anomaly: string): void {
    this.orders.get(id)?.anomalies.push(anomaly);
  }

  /** Changes fields that are not the status (the code_url…). */
  update(id: string, change: Partial<Omit<Order, 'status' | 'history'>>): Order {
    const order = this.orders.get(id);
    if (!order) throw new Error(`no order ${id}`);
    return Object.assign(order, change);
  }

  /**
   * Moves the order to `to`, only if it is still in `from` (one of them) and, when given, still
   * has this refund number.
   * @returns whether this call made the change
   */
  transition(
    id: string,
    from: OrderStatus | readonly OrderStatus[],
    to: OrderStatus,
    change: Partial<Omit<Order, 'status' | 'history'>> = {},
    where: { refundNo?: string } = {},
  ): boolean {
    const order = this.orders.get(id);
    if (!order || !(typeof from === 'string' ? [from] : from).includes(order.status)) return false;
    if (where.refundNo !== undefined && order.refundNo !== where.refundNo) return false;
    Object.assign(order, change, { status: to });
    order.history.push(to);
    return true;
  }
}
