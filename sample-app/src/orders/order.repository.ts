import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { ReconciliationOrder } from 'nestjs-wechatpay';
import type { OrderDatabase } from './database/order-database.js';
import { ORDER_DATABASE } from './database/order-database.token.js';
import { type OrderRow, toOrder } from './database/order-row.js';
import { readOrdersPaidOrRefundedOn } from './database/reconciliation-orders.js';

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

/** Fields an update may change: everything but the number, the status and its history. */
export type OrderChange = Partial<Omit<Order, 'id' | 'status' | 'history'>> & {
  /**
   * When WeChat Pay took the money (the transaction's success time), recorded by the first
   * transition to PAID for reconciliation.
   * @default the time of that transition
   */
  paidAt?: Date;
};

/** Order fields and their columns: the only names that reach SQL. */
const COLUMNS = {
  productId: 'product_id',
  product: 'product',
  total: 'total',
  api: 'api',
  merchant: 'merchant',
  codeUrl: 'code_url',
  transactionId: 'transaction_id',
  refundNo: 'refund_no',
  refundNos: 'refund_nos',
  anomalies: 'anomalies',
} as const satisfies Record<keyof Omit<OrderChange, 'paidAt'>, string>;

/**
 * Orders in PostgreSQL (see database/order-database.ts: embedded by default, a server with
 * DATABASE_URL). Every status change is one conditional `UPDATE … WHERE id = $1 AND status =
 * ANY($2)` and succeeds only if it changed a row, so that two notifications (or a notification
 * and a close, or two app instances) can never both win.
 */
@Injectable()
export class OrderRepository implements OnApplicationShutdown {
  constructor(@Inject(ORDER_DATABASE) private readonly database: OrderDatabase) {}

  async create(
    fields: Pick<Order, 'productId' | 'product' | 'total' | 'api' | 'merchant'>,
  ): Promise<Order> {
    // 32 characters at most, letters and digits: what out_trade_no allows.
    const id = `SAMPLE${Date.now()}${randomBytes(4).toString('hex')}`;
    const { rows } = await this.database.query<OrderRow>(
      `INSERT INTO orders (id, product_id, product, total, api, merchant, status, history)
       VALUES ($1, $2, $3, $4, $5, $6, 'CREATED', ARRAY['CREATED'])
       RETURNING *`,
      [id, fields.productId, fields.product, fields.total, fields.api, fields.merchant ?? null],
    );
    return toOrder(rows[0]!);
  }

  async find(id: string): Promise<Order | undefined> {
    const { rows } = await this.database.query<OrderRow>('SELECT * FROM orders WHERE id = $1', [
      id,
    ]);
    return rows[0] && toOrder(rows[0]);
  }

  /** Records something staff must look at. */
  async flag(id: string, anomaly: string): Promise<void> {
    await this.database.query(
      'UPDATE orders SET anomalies = array_append(anomalies, $2::text) WHERE id = $1',
      [id, anomaly],
    );
  }

  /** Changes fields that are not the status (the code_url…). */
  async update(id: string, change: Omit<OrderChange, 'paidAt'>): Promise<Order> {
    const { assignments, params } = assign(change, 2);
    if (!assignments.length) {
      const order = await this.find(id);
      if (!order) throw new Error(`no order ${id}`);
      return order;
    }
    const { rows } = await this.database.query<OrderRow>(
      `UPDATE orders SET ${assignments.join(', ')} WHERE id = $1 RETURNING *`,
      [id, ...params],
    );
    if (!rows[0]) throw new Error(`no order ${id}`);
    return toOrder(rows[0]);
  }

  /**
   * Moves the order to `to`, only if it is still in `from` (one of them) and, when given, still
   * has this refund number: one conditional UPDATE, so concurrent calls have one winner.
   * @returns whether this call made the change
   */
  async transition(
    id: string,
    from: OrderStatus | readonly OrderStatus[],
    to: OrderStatus,
    change: OrderChange = {},
    where: { refundNo?: string } = {},
  ): Promise<boolean> {
    const { paidAt, ...fields } = change;
    const fixed = [id, typeof from === 'string' ? [from] : [...from], to, paidAt ?? null];
    const { assignments, params } = assign(fields, fixed.length + 1);
    const conditions = ['id = $1', 'status = ANY($2::text[])'];
    if (where.refundNo !== undefined) {
      params.push(where.refundNo);
      conditions.push(`refund_no = $${fixed.length + params.length}`);
    }
    const { rowCount } = await this.database.query(
      `UPDATE orders SET ${[
        ...assignments,
        'status = $3::text',
        'history = array_append(history, $3::text)',
        // The first payment's time stays: a refund closed later goes back to PAID, not paid again.
        `paid_at = CASE WHEN $3::text = 'PAID' THEN coalesce(paid_at, $4::timestamptz, now()) ELSE paid_at END`,
      ].join(', ')} WHERE ${conditions.join(' AND ')}`,
      [...fixed, ...params],
    );
    return rowCount === 1;
  }

  /**
   * PAID → REFUNDING with a new refund number, and the refund recorded (for reconciliation) in
   * the same transaction.
   * @param amount fen
   * @returns whether this call started it (false: the order is no longer PAID)
   */
  async startRefund(id: string, refundNo: string, amount: number): Promise<boolean> {
    return this.database.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE orders SET status = 'REFUNDING', history = array_append(history, 'REFUNDING'),
           refund_no = $2, refund_nos = array_append(refund_nos, $2::text)
         WHERE id = $1 AND status = 'PAID'`,
        [id, refundNo],
      );
      if (rowCount !== 1) return false;
      await tx.query(
        'INSERT INTO order_refunds (out_refund_no, order_id, amount) VALUES ($1, $2, $3)',
        [refundNo, id, amount],
      );
      return true;
    });
  }

  /**
   * REFUNDING → PAID after WeChat Pay refused the refund outright: it never existed there, so its
   * record goes too (reconciliation would otherwise miss it in the bill). Its number stays used.
   * @returns whether this call did it (false: no longer REFUNDING with this refund)
   */
  async abandonRefund(id: string, refundNo: string): Promise<boolean> {
    return this.database.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE orders SET status = 'PAID', history = array_append(history, 'PAID')
         WHERE id = $1 AND status = 'REFUNDING' AND refund_no = $2`,
        [id, refundNo],
      );
      if (rowCount !== 1) return false;
      await tx.query('DELETE FROM order_refunds WHERE out_refund_no = $1', [refundNo]);
      return true;
    });
  }

  /**
   * The reconciliation source: every order of the default merchant (or `merchant`) paid on `date`
   * (China time, `YYYY-MM-DD`) or with a
   * refund requested that day, once each, in ascending `out_trade_no` order by code point, with
   * amounts in fen and all its refunds. Read in pages, so memory stays flat on a busy day.
   * @throws Error when `date` is not a `YYYY-MM-DD` day
   */
  ordersPaidOrRefundedOn(date: string, merchant?: string): AsyncGenerator<ReconciliationOrder> {
    return readOrdersPaidOrRefundedOn(this.database, date, merchant);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}

/** `column = $n` for each field given (`undefined` clears it), numbered from `first`. */
function assign(
  change: Omit<OrderChange, 'paidAt'>,
  first: number,
): { assignments: string[]; params: unknown[] } {
  const assignments: string[] = [];
  const params: unknown[] = [];
  for (const [field, column] of Object.entries(COLUMNS)) {
    if (!(field in change)) continue;
    params.push(change[field as keyof typeof COLUMNS] ?? null);
    assignments.push(`${column} = $${first + params.length - 1}`);
  }
  return { assignments, params };
}
