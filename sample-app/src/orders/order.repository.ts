import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';

export type OrderStatus = 'CREATED' | 'PAID' | 'REFUNDING' | 'REFUNDED' | 'CLOSED';
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
  refundNo?: string;
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
    const order: Order = { ...fields, id, status: 'CREATED', history: ['CREATED'] };
    this.orders.set(id, order);
    return order;
  }

  find(id: string): Order | undefined {
    return this.orders.get(id);
  }

  /** Changes fields that are not the status (the code_url, the refund number…). */
  update(id: string, change: Partial<Omit<Order, 'status' | 'history'>>): Order {
    const order = this.orders.get(id);
    if (!order) throw new Error(`no order ${id}`);
    return Object.assign(order, change);
  }

  /**
   * Moves the order from `from` to `to`, only if it is still in `from`.
   * @returns whether this call made the change
   */
  transition(
    id: string,
    from: OrderStatus,
    to: OrderStatus,
    change: Partial<Omit<Order, 'status' | 'history'>> = {},
  ): boolean {
    const order = this.orders.get(id);
    if (order?.status !== from) return false;
    Object.assign(order, change, { status: to });
    order.history.push(to);
    return true;
  }
}
