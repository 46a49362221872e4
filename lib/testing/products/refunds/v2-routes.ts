import { V2Failure } from '../../v2/answers.js';
import type { V2Route, V2RouteRequest } from '../../v2/route.js';
import { chinaDateTime } from '../../time.js';
import { isPaid, type OrderBook } from '../payments/orders.js';
import { findV2Order } from '../payments/v2-routes.js';
import type { RefundBook } from './refund-book.js';

/** v3 refund statuses in API v2's words. */
export const V2_REFUND_STATUS = {
  PROCESSING: 'PROCESSING',
  SUCCESS: 'SUCCESS',
  ABNORMAL: 'CHANGE',
  CLOSED: 'REFUNDCLOSE',
} as const;

/** API v2 refunds: apply (client certificate, idempotent by `out_refund_no`) and query. */
export function refundsV2Routes(orders: OrderBook, refunds: RefundBook): Record<string, V2Route> {
  return {
    '/secapi/pay/refund': (r) => ({ fields: create(orders, refunds, r) }),
    '/pay/refundquery': (r) => ({ fields: query(refunds, r) }),
  };
}

function create(
  orders: OrderBook,
  refunds: RefundBook,
  request: V2RouteRequest,
): Record<string, string | undefined> {
  const { fields: f, merchant } = request;
  const order = findV2Order(orders, request);
  const existing = refunds.find(merchant.mchid, f.sub_mch_id, f.out_refund_no ?? '');
  const refundFee = Number(f.refund_fee);
  if (!existing) {
    if (!isPaid(order)) throw new V2Failure('TRADE_STATE_ERROR', '订单状态错误');
    if (Number(f.total_fee) !== order.total)
      throw new V2Failure('PARAM_ERROR', '订单金额与原订单不符');
    if (!Number.isInteger(refundFee) || refundFee <= 0)
      throw new V2Failure('PARAM_ERROR', 'refund_fee必须为正整数');
    if (refundFee > order.total - order.refunded)
      throw new V2Failure('NOTENOUGH', '退款金额大于可退金额');
  }
  const refund =
    existing ??
    refunds.add(order, {
      outRefundNo: f.out_refund_no!,
      refund: refundFee,
      notifyUrl: f.notify_url,
    });
  return {
    transaction_id: order.transactionId,
    out_trade_no: order.outTradeNo,
    out_refund_no: refund.outRefundNo,
    refund_id: refund.refundId,
    refund_fee: String(refund.refund),
    total_fee: String(order.total),
    cash_fee: String(order.total),
  };
}

function query(refunds: RefundBook, { fields: f, merchant }: V2RouteRequest) {
  const found = refunds
    .all()
    .filter(
      (r) =>
        r.order.mchid === merchant.mchid &&
        ((f.out_refund_no && r.outRefundNo === f.out_refund_no) ||
          (f.refund_id && r.refundId === f.refund_id) ||
          (f.out_trade_no && r.order.outTradeNo === f.out_trade_no) ||
          (f.transaction_id && r.order.transactionId === f.transaction_id)),
    );
  if (!found.length) throw new V2Failure('REFUNDNOTEXIST', '退款订单查询失败');
  const { order } = found[0]!;
  const fields: Record<string, string | undefined> = {
    transaction_id: order.transactionId,
    out_trade_no: order.outTradeNo,
    total_fee: String(order.total),
    refund_count: String(found.length),
  };
  found.forEach((r, i) => {
    fields[`out_refund_no_${i}`] = r.outRefundNo;
    fields[`refund_id_${i}`] = r.refundId;
    fields[`refund_fee_${i}`] = String(r.refund);
    fields[`refund_status_${i}`] = V2_REFUND_STATUS[r.status];
    if (r.successTime) fields[`refund_success_time_${i}`] = chinaDateTime(r.successTime);
  });
  return fields;
}
