import { findOrThrow } from '../../find-or-throw.js';
import type { SimulatorAnswer, SimulatorRequest, V3Route } from '../../v3/answers.js';
import { notFound, ok, param, SimulatorError, str } from '../../v3/answers.js';
import { isPaid, type OrderBook } from '../payments/orders.js';
import { type RefundBook, refundJson } from './refund-book.js';

/** API v3 domestic refunds: apply (idempotent by `out_refund_no`) and query. */
export function refundsV3Routes(orders: OrderBook, refunds: RefundBook): V3Route[] {
  return [
    ['POST', /^\/v3\/refund\/domestic\/refunds$/, (r) => create(orders, refunds, r)],
    [
      'GET',
      /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/,
      (r, m) =>
        ok(
          refundJson(
            findOrThrow(
              refunds.find(r.mchid, r.url.searchParams.get('sub_mchid') ?? undefined, m[1]!),
              notFound('RESOURCE_NOT_EXISTS', '退款单不存在'),
            ),
          ),
        ),
    ],
  ];
}

function create(orders: OrderBook, refunds: RefundBook, req: SimulatorRequest): SimulatorAnswer {
  const body = req.json;
  const subMchid = body.sub_mchid as string | undefined;
  const outRefundNo = str(body, 'out_refund_no');
  const existing = refunds.find(req.mchid, subMchid, outRefundNo);
  if (existing) return ok(refundJson(existing));
  const order = findOrThrow(
    typeof body.transaction_id === 'string'
      ? orders.findByTransactionId(req.mchid, subMchid, body.transaction_id)
      : orders.find(req.mchid, subMchid, str(body, 'out_trade_no')),
    notFound('RESOURCE_NOT_EXISTS', '订单不存在 (no such order)'),
  );
  if (!isPaid(order)) {
    throw new SimulatorError(
      400,
      'INVALID_REQUEST',
      '订单未支付，不能退款 (the order is not paid)',
    );
  }
  const amount = body.amount as { refund?: unknown; total?: unknown } | undefined;
  if (!amount || !Number.isInteger(amount.refund) || (amount.refund as number) <= 0) {
    throw param('amount.refund 必须为正整数');
  }
  if (amount.total !== order.total)
    throw param('amount.total 与原订单金额不一致 (total differs from the order)');
  if ((amount.refund as number) > order.total - order.refunded) {
    throw new SimulatorError(
      403,
      'NOT_ENOUGH',
      '申请退款金额超过订单可退金额 (refund exceeds the refundable amount)',
    );
  }
  const refund = refunds.add(order, {
    outRefundNo,
    refund: amount.refund as number,
    reason: body.reason as string | undefined,
    notifyUrl: body.notify_url as string | undefined,
  });
  return ok(refundJson(refund));
}
