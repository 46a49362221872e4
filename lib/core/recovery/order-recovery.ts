import { WechatPayApiError } from '../errors.js';
import { businessEventKey } from '../notify/business-key.js';
import { describeError } from '../notify/lease-renewer.js';
import type {
  DeliveryOutcome,
  NotificationDeduplicator,
} from '../notify/notification-deduplicator.js';
import type { VerifiedNotification } from '../notify/notification.types.js';
import { queriedState } from './queried-state.js';
import { CLOSE_ATTEMPTS, nextDueAt, type RecoveryTimings } from './recovery-schedule.js';
import type {
  RecoveryOrder,
  RecoveryOutcome,
  RecoveryOutcomeHook,
  RecoveryPaymentHandler,
  RecoveryTask,
} from './recovery.types.js';

/** Queries and closes an order in the API version it was placed with. */
export interface RecoveryOrderApi {
  /**
   * The order as WeChat Pay has it: a v3 `Transaction`, the v2 orderquery fields, or a
   * `CombineTransaction` (`task.kind === 'combine'`).
   */
  query(task: RecoveryTask): Promise<Record<string, unknown>>;
  close(task: RecoveryTask): Promise<void>;
  /** A watched refund (`task.kind === 'refund'`) as WeChat Pay has it: a v3 `Refund`. */
  queryRefund?(task: RecoveryTask): Promise<Record<string, unknown>>;
}

/** What {@link OrderRecovery} works with. */
export interface OrderRecoveryDependencies {
  api: RecoveryOrderApi;
  /** The client's deduplicator: the payment handler runs under the notification's own key. */
  deduplicator: Pick<NotificationDeduplicator, 'run'>;
  mchid: string;
  timings: RecoveryTimings;
  logger: { warn(message: string): void; error(message: string): void };
}

/** The handler and hook recovery hands its findings to. */
export interface RecoveryHandlers {
  /** The payment handler (`TRANSACTION.SUCCESS`), run once per payment with notifications. */
  handler: RecoveryPaymentHandler;
  /**
   * The handlers of the `REFUND.*` events, by event type, run once per refund end with
   * notifications. A refund whose event has none is only reported (`handledBy: 'none'`).
   */
  refundHandlers?: Partial<Record<RefundEventType, RecoveryPaymentHandler>>;
  /** Told how each order's recovery ended. */
  onOutcome?: RecoveryOutcomeHook;
}

/** The events a refund ends with. */
export type RefundEventType = 'REFUND.SUCCESS' | 'REFUND.CLOSED' | 'REFUND.ABNORMAL';

/** How many times a paid order's handler is retried before a person is asked. */
const HANDLER_ATTEMPTS = 10;

/**
 * One step of an order's recovery: at its expiry close it; query it; a payment runs the
 * payment handler through the exactly-once key its notification has (so whichever of the two
 * comes second is a duplicate); a closed or revoked order, and one still unknown after the
 * schedule, go to the outcome hook. Framework-free; a scheduler calls {@link step}.
 */
export class OrderRecovery {
  constructor(
    private readonly deps: OrderRecoveryDependencies,
    private readonly handlers: RecoveryHandlers,
  ) {}

  /**
   * Runs the step that is due.
   * @returns the task with its next `dueAt`, or undefined when its recovery ended
   */
  async step(task: RecoveryTask, now = Date.now()): Promise<RecoveryTask | undefined> {
    if (task.kind === 'refund') return this.refundStep({ ...task }, now);
    const next: RecoveryTask = { ...task };
    if (!next.closing && now >= next.expiresAt) {
      if (next.closing === undefined) next.failures = 0; // the first close: a fresh count
      next.closing = true;
      await this.close(next);
    }
    let transaction: Record<string, unknown>;
    try {
      transaction = await this.deps.api.query(next);
    } catch (error) {
      return this.retry(next, now, `the order query failed: ${describeError(error)}`);
    }
    next.attempt += 1;
    const state = queriedState(next, transaction);
    next.lastState = state;
    if (state === 'SUCCESS' || state === 'REFUND') return this.paid(next, transaction, now);
    if (state === 'CLOSED' || state === 'REVOKED') {
      await this.tell({ type: state, order: orderOf(next), transaction });
      return undefined;
    }
    if (next.closing) return this.retry(next, now, `the order is still ${state} after its close`);
    return { ...next, dueAt: nextDueAt(next, this.deps.timings, now) };
  }

  /** Closes at expiry; a refusal (e.g. ORDERPAID: paid meanwhile) is settled by the query after. */
  private async close(task: RecoveryTask): Promise<void> {
    try {
      await this.deps.api.close(task);
    } catch (error) {
      if (error instanceof WechatPayApiError && /ORDER_?PAID|ORDER_?CLOSED/.test(error.code)) {
        return;
      }
      this.deps.logger.warn(
        `recovery of order ${task.outTradeNo}: the close failed (${describeError(error)}); the order is queried, and closed again if still unpaid`,
      );
      task.closing = false; // closed again at the next step
    }
  }

  private async paid(
    task: RecoveryTask,
    transaction: Record<string, unknown>,
    now: number,
  ): Promise<RecoveryTask | undefined> {
    return this.handleOnce(
      task,
      now,
      recoveredNotification(task, transaction),
      (notification) => this.handlers.handler(notification),
      ['payment', 'the payment handler'],
      (handledBy) =>
        this.tell({
          type: 'PAID',
          order: orderOf(task),
          handledBy,
          paidAtClose: task.closing === true,
          transaction,
        }),
    );
  }

  /**
   * Runs `handler` under the notification's exactly-once key: handled by it or already by the
   * notification ends the recovery (`report`); anything else is retried.
   */
  private async handleOnce(
    task: RecoveryTask,
    now: number,
    notification: VerifiedNotification<Record<string, unknown>>,
    handler: RecoveryPaymentHandler,
    [subject, handlerName]: [subject: string, handler: string],
    report: (handledBy: 'recovery' | 'notification') => Promise<void>,
  ): Promise<RecoveryTask | undefined> {
    const key = businessEventKey(this.deps.mchid, notification);
    const outcome = await this.deps.deduplicator.run(key, () => handler(notification));
    if (outcome.status === 'handled' || outcome.status === 'already-handled') {
      await report(outcome.status === 'handled' ? 'recovery' : 'notification');
      return undefined;
    }
    const reason = notHandledReason(outcome, subject, handlerName);
    if (outcome.status === 'handler-failed') {
      const what =
        task.kind === 'refund' ? `refund ${task.outRefundNo}` : `order ${task.outTradeNo}`;
      this.deps.logger.error(`recovery of ${what}: ${reason}; retried later`);
    }
    return this.retry(task, now, reason, HANDLER_ATTEMPTS);
  }

  /**
   * A refund's step: query it; an end (SUCCESS, CLOSED, ABNORMAL) runs the handler of its
   * `REFUND.<status>` event under the refund notification's key; still PROCESSING past the
   * watch window asks a person. A refund is never closed.
   */
  private async refundStep(task: RecoveryTask, now: number): Promise<RecoveryTask | undefined> {
    let refund: Record<string, unknown>;
    try {
      if (!this.deps.api.queryRefund) throw new Error('refunds cannot be queried here');
      refund = await this.deps.api.queryRefund(task);
    } catch (error) {
      return this.retry(task, now, `the refund query failed: ${describeError(error)}`);
    }
    task.attempt += 1;
    const status = typeof refund.status === 'string' ? refund.status : '';
    task.lastState = status;
    if (status === 'SUCCESS' || status === 'CLOSED' || status === 'ABNORMAL') {
      return this.refundEnded(task, status, refund, now);
    }
    if (now >= task.expiresAt) {
      return this.retry(task, now, `the refund is still ${status || 'unknown'} after the watch`, 0);
    }
    return { ...task, failures: 0, dueAt: nextDueAt(task, this.deps.timings, now) };
  }

  private async refundEnded(
    task: RecoveryTask,
    status: 'SUCCESS' | 'CLOSED' | 'ABNORMAL',
    refund: Record<string, unknown>,
    now: number,
  ): Promise<RecoveryTask | undefined> {
    const handler = this.handlers.refundHandlers?.[`REFUND.${status}`];
    const report = (handledBy: 'recovery' | 'notification' | 'none') =>
      this.tell({ type: 'REFUND', order: orderOf(task), status, handledBy, transaction: refund });
    if (!handler) {
      await report('none');
      return undefined;
    }
    return this.handleOnce(
      task,
      now,
      recoveredRefundNotification(task, status, refund),
      handler,
      ['refund', `the REFUND.${status} handler`],
      report,
    );
  }

  /** Tries again soon, backing off, until `limit` failures in a row ask a person. */
  private async retry(
    task: RecoveryTask,
    now: number,
    reason: string,
    limit = CLOSE_ATTEMPTS,
  ): Promise<RecoveryTask | undefined> {
    const failures = (task.failures ?? 0) + 1;
    const pastExpiry = now >= task.expiresAt;
    if (pastExpiry && failures > limit) {
      await this.tell({
        type: 'NEEDS_ATTENTION',
        order: orderOf(task),
        reason,
        ...(task.lastState ? { lastState: task.lastState } : {}),
      });
      return undefined;
    }
    const { scheduleMs, intervalMs } = this.deps.timings;
    const backoff = Math.min((scheduleMs[0] ?? 15_000) * 2 ** (failures - 1), intervalMs);
    const dueAt = pastExpiry
      ? now + backoff
      : Math.min(nextDueAt(task, this.deps.timings, now), now + backoff);
    return { ...task, failures: pastExpiry ? failures : 0, dueAt };
  }

  private async tell(outcome: RecoveryOutcome): Promise<void> {
    try {
      await this.handlers.onOutcome?.(outcome);
    } catch (error) {
      this.deps.logger.error(
        `recovery of order ${outcome.order.outTradeNo}: the outcome hook failed on ${outcome.type}: ${describeError(error)}`,
      );
    }
  }
}

/**
 * The queried order as the notification its payment would have brought: the payment handler
 * gets the same shape (a v3 `Transaction`, the v2 fields, or a combine order's
 * `CombineTransaction`, which the combine notification carries too) and the same exactly-once
 * key (`businessEventKey`: `…:trade:<out_trade_no>:SUCCESS`, `…:combine:<no>:SUCCESS`).
 */
export function recoveredNotification(
  task: RecoveryTask,
  transaction: Record<string, unknown>,
): VerifiedNotification<Record<string, unknown>> {
  const id = `recovery:${task.id}`;
  return {
    version: task.version,
    id,
    envelope: {
      id,
      create_time: new Date().toISOString(),
      event_type: 'TRANSACTION.SUCCESS',
      resource_type: 'recovery',
      summary: 'found by an order query (missed-notification recovery)',
    },
    payload: transaction,
  };
}

/** Why a handler run through the deduplicator did not end the recovery (retried later). */
function notHandledReason(
  outcome: Exclude<DeliveryOutcome, { status: 'handled' | 'already-handled' }>,
  subject: string,
  handler: string,
): string {
  switch (outcome.status) {
    case 'handler-failed':
      return `${handler} failed: ${describeError(outcome.error)}`;
    case 'store-unavailable':
      return outcome.error.message;
    case 'in-progress':
      return `the ${subject} is being handled by a notification`;
    default:
      return `${handler} timed out`;
  }
}

function orderOf(task: RecoveryTask): RecoveryOrder {
  const { version, mchid, subMchid, outTradeNo, createdAt, expiresAt } = task;
  const fields = {
    version,
    mchid,
    ...(subMchid ? { subMchid } : {}),
    outTradeNo,
    createdAt,
    expiresAt,
  };
  if (task.kind === 'combine') {
    return {
      ...fields,
      kind: 'combine',
      subOrders: (task.subOrders ?? []).map((sub) => ({ ...sub })),
    };
  }
  if (task.kind === 'refund')
    return { ...fields, kind: 'refund', outRefundNo: task.outRefundNo ?? '' };
  return { ...fields, kind: 'payment' };
}

/**
 * A queried refund as its `REFUND.<status>` notification carries it (`RefundNotification`):
 * the same fields under the notification's names, so the handler gets one shape and the
 * exactly-once key (`…:refund:<out_refund_no>:<status>`) is the notification's.
 * @see https://pay.weixin.qq.com/docs/merchant/apis/refund/refunds/refund-result-notice.html
 */
export function recoveredRefundNotification(
  task: RecoveryTask,
  status: 'SUCCESS' | 'CLOSED' | 'ABNORMAL',
  refund: Record<string, unknown>,
): VerifiedNotification<Record<string, unknown>> {
  const amount = (refund.amount ?? {}) as Record<string, unknown>;
  const id = `recovery:${task.id}:${status}`;
  return {
    version: 'v3',
    id,
    envelope: {
      id,
      create_time: new Date().toISOString(),
      event_type: `REFUND.${status}`,
      resource_type: 'recovery',
      summary: 'found by a refund query (missed-notification recovery)',
    },
    payload: {
      ...(task.subMchid
        ? { sp_mchid: task.mchid, sub_mchid: task.subMchid }
        : { mchid: task.mchid }),
      out_trade_no: refund.out_trade_no,
      transaction_id: refund.transaction_id,
      out_refund_no: refund.out_refund_no,
      refund_id: refund.refund_id,
      refund_status: status,
      ...(refund.success_time !== undefined ? { success_time: refund.success_time } : {}),
      user_received_account: refund.user_received_account,
      amount: {
        total: amount.total,
        refund: amount.refund,
        payer_total: amount.payer_total,
        payer_refund: amount.payer_refund,
      },
    },
  };
}
