import type { WechatPayConfig } from '../config/resolve-config.js';
import type { NotificationDeduplicator } from '../notify/notification-deduplicator.js';
import { describeError } from '../notify/lease-renewer.js';
import { EmbeddedRecoveryScheduler } from './embedded-recovery-scheduler.js';
import { OrderRecovery, type RecoveryHandlers, type RecoveryOrderApi } from './order-recovery.js';
import {
  DEFAULT_REFUND_WATCH_MS,
  nextDueAt,
  orderExpiry,
  type RecoveryTimings,
} from './recovery-schedule.js';
import type { RecoveryScheduler } from './recovery-scheduler.js';
import type { RecoverySchedulerHealth } from './scheduler-health.js';
import type { PrepayRecoveryOptions, RecoverySubOrder, RecoveryTask } from './recovery.types.js';

/** An order just placed, as the prepay methods report it. */
export interface PlacedOrder {
  version: 'v3' | 'v2';
  /** 商户订单号; of a combine order its `combine_out_trade_no`. */
  outTradeNo: string;
  subMchid?: string;
  /** The order's `time_expire`, if given (RFC 3339 in v3, `yyyyMMddHHmmss` UTC+8 in v2). */
  timeExpire?: unknown;
  /**
   * A combine order (合单支付, v3): the `combine_appid` and sub-orders it was placed with, which
   * its close must name again.
   */
  combine?: { combineAppid: string; subOrders: RecoverySubOrder[] };
  /** A refund (v3) to watch until it ends, by its 商户退款单号 (`outTradeNo`: its order's). */
  refund?: { outRefundNo: string };
}

/** What the prepay methods tell about each order they placed. */
export interface RecoveryTracker {
  /** Watches the order if recovery is on (module option, or `options.recovery`). Never throws. */
  track(order: PlacedOrder, options?: PrepayRecoveryOptions): Promise<void>;
}

/** What {@link PaymentRecovery} is built from. */
export interface PaymentRecoveryDependencies {
  config: Pick<
    WechatPayConfig,
    | 'recovery'
    | 'recoverySchedule'
    | 'recoveryIntervalMs'
    | 'recoveryDefaultExpiryMs'
    | 'recoveryStore'
    | 'recoveryScheduler'
  >;
  mchid: string;
  api: RecoveryOrderApi;
  deduplicator: Pick<NotificationDeduplicator, 'run'>;
  logger: { warn(message: string): void; error(message: string): void };
}

/**
 * Missed-notification recovery of one merchant (`client.recovery`): the prepay methods hand
 * it each order placed; it keeps the order in its scheduler and, once started with the payment
 * handler, queries it on the schedule, closes it at expiry and reports how it ended.
 * `WechatPayModule` starts it with the `@WechatNotify` handler; without Nest call
 * {@link start} yourself.
 */
export class PaymentRecovery implements RecoveryTracker {
  /** The schedule orders are queried on. */
  readonly timings: RecoveryTimings;
  private scheduler: RecoveryScheduler;
  private started = false;
  private warnedNotStarted = false;

  constructor(private readonly deps: PaymentRecoveryDependencies) {
    this.timings = {
      scheduleMs: deps.config.recoverySchedule,
      intervalMs: deps.config.recoveryIntervalMs,
    };
    this.scheduler =
      deps.config.recoveryScheduler ??
      new EmbeddedRecoveryScheduler({
        store: deps.config.recoveryStore,
        owns: (task) => task.mchid === deps.mchid,
        logger: deps.logger,
      });
  }

  /** Whether orders are watched unless a call says otherwise (the `recovery` option). */
  get enabled(): boolean {
    return this.deps.config.recovery;
  }

  /**
   * Runs the steps elsewhere than on in-process timers (e.g. `BullmqRecoveryScheduler`). Call
   * before {@link start}.
   * @throws Error once started
   */
  useScheduler(scheduler: RecoveryScheduler): void {
    if (this.started) throw new Error('recovery: useScheduler() must come before start()');
    this.scheduler = scheduler;
  }

  /**
   * Starts running the schedule (resuming orders kept from before a restart) with the payment
   * handler and the outcome hook.
   * @example
   * await client.recovery.start({ handler: (n) => orders.markPaid(n.payload), onOutcome: (o) => audit(o) });
   */
  async start(handlers: RecoveryHandlers): Promise<void> {
    const recovery = new OrderRecovery(
      {
        api: this.deps.api,
        deduplicator: this.deps.deduplicator,
        mchid: this.deps.mchid,
        timings: this.timings,
        logger: this.deps.logger,
      },
      handlers,
    );
    this.started = true;
    await this.scheduler.start((task) => recovery.step(task));
  }

  /**
   * The `recovery` check of `checkWechatPayHealth`: started, and the scheduler's own check
   * (its store or Redis reachable within `timeoutMs`).
   */
  async health(timeoutMs: number): Promise<RecoverySchedulerHealth> {
    if (!this.started) {
      return {
        healthy: false,
        message: 'recovery is on but not started (client.recovery.start, or WechatPayModule)',
      };
    }
    return (await this.scheduler.health?.(timeoutMs)) ?? { healthy: true };
  }

  /** Stops running steps; watched orders stay in the store for the next start. */
  async stop(): Promise<void> {
    this.started = false;
    await this.scheduler.stop();
  }

  /**
   * Watches an order from now: its first query is due at the schedule's first slot.
   * @param options.recovery overrides the `recovery` option for this order
   */
  async track(order: PlacedOrder, options: PrepayRecoveryOptions = {}): Promise<void> {
    if (!(options.recovery ?? this.enabled)) return;
    const createdAt = Date.now();
    const { combine, refund } = order;
    const merchant = `${this.deps.mchid}${order.subMchid ? `:${order.subMchid}` : ''}`;
    const task: RecoveryTask = {
      id: combine
        ? `${this.deps.mchid}:v3-combine:${order.outTradeNo}`
        : refund
          ? `${merchant}:v3-refund:${refund.outRefundNo}`
          : `${merchant}:${order.version}:${order.outTradeNo}`,
      ...(refund ? { kind: 'refund' as const, outRefundNo: refund.outRefundNo } : {}),
      ...(combine
        ? {
            kind: 'combine' as const,
            combineAppid: combine.combineAppid,
            subOrders: combine.subOrders.map(closeFields),
          }
        : {}),
      version: combine || refund ? 'v3' : order.version,
      mchid: this.deps.mchid,
      ...(order.subMchid ? { subMchid: order.subMchid } : {}),
      outTradeNo: order.outTradeNo,
      createdAt,
      expiresAt: refund
        ? createdAt + DEFAULT_REFUND_WATCH_MS
        : orderExpiry(order.timeExpire, createdAt, this.deps.config.recoveryDefaultExpiryMs),
      attempt: 0,
      dueAt: 0,
    };
    task.dueAt = nextDueAt(task, this.timings, createdAt);
    if (!this.started && !this.warnedNotStarted) {
      this.warnedNotStarted = true;
      this.deps.logger.warn(
        'recovery is on but not started: orders are kept, and queried once client.recovery.start({ handler }) runs (WechatPayModule starts it with the @WechatNotify handler)',
      );
    }
    try {
      await this.scheduler.schedule(task);
    } catch (error) {
      // The order was placed: failing the prepay now would hide a payable order.
      this.deps.logger.error(
        `recovery: order ${order.outTradeNo} could not be scheduled (${describeError(error)}); it is not watched, query it yourself`,
      );
    }
  }
}

/** What a combine order's close names of a sub-order (the prepay body holds much more). */
function closeFields(sub: RecoverySubOrder): RecoverySubOrder {
  return {
    mchid: sub.mchid,
    out_trade_no: sub.out_trade_no,
    ...(sub.sub_mchid ? { sub_mchid: sub.sub_mchid } : {}),
    ...(sub.sub_appid ? { sub_appid: sub.sub_appid } : {}),
  };
}
