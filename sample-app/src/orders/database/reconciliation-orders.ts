import type { ReconciliationOrder, ReconciliationOrderState } from 'nestjs-wechatpay';
import type { SqlQueryable } from './order-database.js';

/** Orders read per query: memory stays flat however many orders the day had. */
const PAGE_SIZE = 500;
/** Bills and their days are in China Standard Time, which has no daylight saving. */
const CHINA_TIME = '+08:00';

/**
 * Every order of one merchant paid on `date` (China time) or with a refund created that day, in ascending
 * `out_trade_no` order by code point, read page by page (keyset: `id > last`, so no cursor to
 * hold open and no page shifting under concurrent inserts).
 */
export async function* readOrdersPaidOrRefundedOn(
  database: SqlQueryable,
  date: string,
  /** Whose orders: a named merchant's, or (undefined) the default merchant's. */
  merchant?: string,
): AsyncGenerator<ReconciliationOrder> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new Error(`reconciliation date must be a day as YYYY-MM-DD, not ${JSON.stringify(date)}`);
  }
  const start = new Date(`${date}T00:00:00${CHINA_TIME}`);
  const end = new Date(start.getTime() + 24 * 60 * 60 * 1000);
  for (let last = ''; ;) {
    const { rows } = await database.query<OrderForReconciliation>(
      `SELECT o.id, o.total, o.status, o.paid_at,
         coalesce((SELECT json_agg(json_build_object(
                     'out_refund_no', r.out_refund_no, 'amount', r.amount, 'created_at', r.created_at)
                     ORDER BY r.created_at, r.out_refund_no)
                   FROM order_refunds r WHERE r.order_id = o.id), '[]'::json) AS refunds
       FROM orders o
       WHERE o.id > $3 AND o.merchant IS NOT DISTINCT FROM $4
         AND ((o.paid_at >= $1 AND o.paid_at < $2)
           OR EXISTS (SELECT 1 FROM order_refunds r
                      WHERE r.order_id = o.id AND r.created_at >= $1 AND r.created_at < $2))
       ORDER BY o.id
       LIMIT ${PAGE_SIZE}`,
      [start, end, last, merchant ?? null],
    );
    for (const row of rows) {
      yield {
        out_trade_no: row.id,
        amount: row.total,
        state: STATES[row.status],
        ...(row.paid_at ? { paid_at: row.paid_at } : {}),
        refunds: row.refunds.map((refund) => ({
          out_refund_no: refund.out_refund_no,
          amount: refund.amount,
          created_at: new Date(refund.created_at),
        })),
      };
    }
    if (rows.length < PAGE_SIZE) return;
    last = rows[rows.length - 1]!.id;
  }
}

interface OrderForReconciliation {
  id: string;
  total: number;
  status: keyof typeof STATES;
  paid_at: Date | null;
  /** json_agg: the timestamps arrive as text. */
  refunds: { out_refund_no: string; amount: number; created_at: string }[];
}

const STATES = {
  CREATED: 'unpaid',
  PAID: 'paid',
  REFUNDING: 'refunded',
  REFUND_ABNORMAL: 'refunded',
  REFUNDED: 'refunded',
  CLOSED: 'closed',
} as const satisfies Record<string, ReconciliationOrderState>;
