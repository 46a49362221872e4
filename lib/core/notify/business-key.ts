import type { VerifiedNotification } from './notification.types.js';

/**
 * The key an event is handled once by, in the idempotency store: the business event it
 * reports, not the delivery. A notification and an order query that find the same payment
 * (recovery) share it, so whichever comes second is a duplicate.
 *
 * - payment: `<mchid>[:<sub_mchid>]:trade:<out_trade_no>:<trade_state>` (a queried `REFUND`
 *   state counts as `SUCCESS`: the order was paid, and its payment event is the one handled)
 * - refund: `…:refund:<out_refund_no>:<refund_status>`
 * - combine payment: `…:combine:<combine_out_trade_no>:<state>` (the event's state: `SUCCESS`
 *   for `TRANSACTION.SUCCESS`)
 * - transfer: `…:transfer:<out_bill_no>:<state>`
 * - profit sharing: `…:profitsharing:<out_order_no>:<receiver type>:<receiver account>:<event>`
 * - API v2: the same shapes, from `out_trade_no` with `trade_state` (a query) or `result_code`
 *   (a notification), and `out_refund_no` with `refund_status`; `sub_mch_id` as the sub-merchant
 * - anything else (complaints, whose `COMPLAINT.*` events repeat for one complaint):
 *   `<mchid>:<version>:<event id>`, the delivery's own id
 *
 * @param mchid the merchant number of the registration (`sp_mchid` in partner mode)
 * @example
 * businessEventKey('1900000109', notification); // '1900000109:trade:ORDER1:SUCCESS'
 */
export function businessEventKey(
  mchid: string,
  notification: Pick<VerifiedNotification<unknown>, 'version' | 'id' | 'envelope' | 'payload'>,
): string {
  const payload = (notification.payload ?? {}) as Record<string, unknown>;
  const business = businessPart(notification.envelope.event_type, payload);
  if (business === undefined) return `${mchid}:${notification.version}:${notification.id}`;
  const sub = text(payload.sub_mchid) ?? text(payload.sub_mch_id);
  return `${mchid}${sub === undefined ? '' : `:${sub}`}:${business}`;
}

/** The business part of the key, or undefined when the event names no business object. */
function businessPart(eventType: string, payload: Record<string, unknown>): string | undefined {
  const refund = text(payload.out_refund_no);
  const refundStatus = text(payload.refund_status);
  if (refund !== undefined && refundStatus !== undefined) {
    return `refund:${refund}:${refundStatus}`;
  }
  const combine = text(payload.combine_out_trade_no);
  if (combine !== undefined) return `combine:${combine}:${eventState(eventType)}`;
  const bill = text(payload.out_bill_no);
  const billState = text(payload.state);
  if (bill !== undefined && billState !== undefined) return `transfer:${bill}:${billState}`;
  const split = text(payload.out_order_no);
  const receiver = payload.receiver as { type?: unknown; account?: unknown } | undefined;
  if (split !== undefined && receiver !== undefined) {
    return `profitsharing:${split}:${String(receiver.type)}:${String(receiver.account)}:${eventType}`;
  }
  const trade = text(payload.out_trade_no);
  const tradeState = text(payload.trade_state) ?? v2ResultState(payload);
  if (trade !== undefined && tradeState !== undefined) {
    return `trade:${trade}:${tradeState === 'REFUND' ? 'SUCCESS' : tradeState}`;
  }
  return undefined;
}

/** A v2 payment notification carries no `trade_state`: `result_code` says paid or failed. */
function v2ResultState(payload: Record<string, unknown>): string | undefined {
  const result = text(payload.result_code);
  if (result === undefined) return undefined;
  return result === 'SUCCESS' ? 'SUCCESS' : 'FAIL';
}

/** `TRANSACTION.SUCCESS` → `SUCCESS`. */
function eventState(eventType: string): string {
  const dot = eventType.lastIndexOf('.');
  return dot === -1 ? eventType : eventType.slice(dot + 1);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
