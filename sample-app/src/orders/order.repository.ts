import { Injectable } from '@nestjs/common';

export type OrderStatus = 'CREATED' | 'PAID' | 'REFUNDING' | 'REFUNDED' | 'CLOSED';

export interface Order {
  id: string;
  product: string;
  /** Fen. */
  total: number;
  status: OrderStatus;
  api: 'v3' | 'v2';
  transactionId?: string;
  refundNo?: string;
  history: string[];
}

/**
 * Orders in memory. This is the seam where a real database goes: keep the method names and
 * back them with your ORM; `markPaid` must be one atomic update.
 */
@Injectable()
export class OrderRepository {
  private readonly orders = new Map<string, Order>();
  private sequence = 0;

  create(product: string, total: number, api: 'v3' | 'v2'): Order {
    this.sequence += 1;
    const id = `SAMPLE${Date.now()}${this.sequence}`.slice(0, 32);
    const order: Order = { id, product, total, status: 'CREATED', api, history: ['CREATED'] };
    this.orders.set(id, order);
    return order;
  }

  find(id: string): Order | undefined {
    return this.orders.get(id);
  }

  update(id: string, change: Partial<Order>): Order {
    const order = this.orders.get(id);
    if (!order) throw new Error(`no order ${id}`);
    Object.assign(order, change);
    if (change.status) order.history.push(change.status);
    return order;
  }
}
