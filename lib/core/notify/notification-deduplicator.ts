import { randomUUID } from 'node:crypto';
import { WECHATPAY_OPTIONS } from '../config/declarations/index.js';
import { type IdempotencyStoreOperation, WechatPayStoreError } from '../errors.js';
import type { ClaimResult, IdempotencyStore } from '../store/idempotency-store.js';
import { instruments } from '../telemetry/instruments.js';
import { describeError, LeaseRenewer } from './lease-renewer.js';
import { isThenable, settle, type Settled } from './settle.js';

/** Where {@link NotificationDeduplicator} reports what no answer to WeChat Pay can carry. */
export interface DeduplicationLogger {
  warn(message: string): void;
  error(message: string): void;
}

/** Timings of {@link NotificationDeduplicator}. */
export interface DeduplicationOptions {
  /**
   * How long a delivery holds an event without renewal; while its handler runs the lease is
   * renewed every third of this. After a crash the event is free again this long after the
   * last renewal.
   * @default 60000
   */
  leaseMs?: number;
  /**
   * How long a handled event is remembered. WeChat Pay retries for about 24 hours.
   * @default 172800000 (48 h)
   */
  doneTtlMs?: number;
  /**
   * How long a handler may run before it is taken for hung. The lease is renewed only until
   * then: the delivery is answered with a failure, the lease lapses within `leaseMs`, and a
   * later delivery runs the handler again. WeChat Pay redelivers for 24 h, so this bounds how
   * long a hung handler can hold an event back.
   * @default 300000 (5 min)
   */
  handlerTimeoutMs?: number;
  /**
   * Deadline of each store call (claim, extend, complete, release). A claim that runs out
   * answers a failure, so WeChat Pay delivers again; WeChat Pay waits about 5 s for an answer.
   * @default 2000
   */
  storeTimeoutMs?: number;
  /**
   * Receives store failures met outside a delivery's answer, lost leases and late results.
   * @default console
   */
  logger?: DeduplicationLogger;
}

/** What to do with one delivery. */
export type DeliveryDecision =
  | { action: 'run'; token: string }
  /** Already handled: acknowledge without running the handler. */
  | { action: 'acknowledge' }
  /** Being handled by a concurrent delivery: fail it, so WeChat Pay delivers it again later. */
  | { action: 'retry-later' };

/**
 * How {@link NotificationDeduplicator.run} ended one delivery. `handled` and `already-handled`
 * are acknowledged; every other outcome answers a failure, so WeChat Pay delivers it again.
 */
export type DeliveryOutcome<T = unknown> =
  /**
   * The handler resolved. `recorded` is false when the store could not mark the event done;
   * the delivery is still acknowledged, since the handler's effect happened.
   */
  | { status: 'handled'; result: T; recorded: boolean }
  /** A handler already finished this event; it did not run again. */
  | { status: 'already-handled' }
  /** Another delivery is running the handler right now. */
  | { status: 'in-progress' }
  /** The handler threw; the event was released for the next delivery. */
  | { status: 'handler-failed'; error: unknown }
  /** The handler did not settle within `handlerTimeoutMs`; its lease is left to lapse. */
  | { status: 'handler-timed-out' }
  /** The store failed or did not answer in time, so the handler did not run. */
  | { status: 'store-unavailable'; error: WechatPayStoreError };

const TIMED_OUT = Symbol('timed out');

/**
 * Exactly-once in effect on top of an {@link IdempotencyStore}: claim before the handler,
 * renew the lease while it runs (for at most `handlerTimeoutMs`), complete after it succeeded,
 * release after it failed. Every store call has a deadline, and nothing it does from a timer
 * can throw: a broken or unreachable store fails deliveries, never the process.
 */
export class NotificationDeduplicator {
  readonly leaseMs: number;
  readonly doneTtlMs: number;
  readonly handlerTimeoutMs: number;
  readonly storeTimeoutMs: number;
  private readonly logger: DeduplicationLogger;
  private readonly renewer: LeaseRenewer;

  constructor(
    readonly store: IdempotencyStore,
    options: DeduplicationOptions = {},
  ) {
    // The defaults are the module options' own, declared once.
    this.leaseMs = options.leaseMs ?? WECHATPAY_OPTIONS.notificationLeaseMs.default;
    this.doneTtlMs = options.doneTtlMs ?? WECHATPAY_OPTIONS.notificationDoneTtlMs.default;
    this.handlerTimeoutMs =
      options.handlerTimeoutMs ?? WECHATPAY_OPTIONS.notificationHandlerTimeoutMs.default;
    this.storeTimeoutMs =
      options.storeTimeoutMs ?? WECHATPAY_OPTIONS.notificationStoreTimeoutMs.default;
    this.logger = options.logger ?? console;
    this.renewer = new LeaseRenewer({
      leaseMs: this.leaseMs,
      handlerTimeoutMs: this.handlerTimeoutMs,
      extend: (key, token) =>
        this.call('extend', () => this.store.extend(key, token, this.leaseMs)),
      logger: this.logger,
    });
  }

  /**
   * Runs `handler` for the event `key` unless it is done or running elsewhere, and says how the
   * delivery ended. Never rejects: the handler's error comes back as `handler-failed`.
   * @example
   * const outcome = await client.notifications.run(businessEventKey(mchid, notification), () => markPaid(order));
   * const acknowledge = outcome.status === 'handled' || outcome.status === 'already-handled';
   */
  async run<T>(key: string, handler: () => PromiseLike<T> | T): Promise<DeliveryOutcome<T>> {
    let decision: DeliveryDecision;
    try {
      const claimed = this.decide(key);
      decision = isThenable(claimed) ? await claimed : claimed;
    } catch (error) {
      const storeError = asStoreError(error, 'claim');
      this.logger.error(
        `notification ${key}: ${storeError.message}; answering a failure so WeChat Pay delivers it again`,
      );
      return { status: 'store-unavailable', error: storeError };
    }
    if (decision.action === 'acknowledge') return { status: 'already-handled' };
    if (decision.action === 'retry-later') return { status: 'in-progress' };

    const { token } = decision;
    const stopKeepAlive = this.keepAlive(key, token);
    const settled = settle(handler);
    let first: Settled<T> | typeof TIMED_OUT;
    if (isThenable(settled)) {
      let timer: NodeJS.Timeout | undefined;
      first = await new Promise<Settled<T> | typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(resolve, this.handlerTimeoutMs, TIMED_OUT);
        timer.unref();
        void settled.then(resolve);
      });
      clearTimeout(timer);
    } else {
      first = settled; // a synchronous handler needs no bound
    }
    stopKeepAlive();

    if (first === TIMED_OUT) {
      this.logger.error(
        `the handler of notification ${key} did not settle within ${this.handlerTimeoutMs} ms (notificationHandlerTimeoutMs): given up and answered with a failure; its lease lapses within ${this.leaseMs} ms and a later delivery runs it again`,
      );
      void (settled as Promise<Settled<T>>)
        .then((late) => this.settleLate(key, token, late))
        .catch(() => undefined);
      return { status: 'handler-timed-out' };
    }
    if (!first.ok) {
      await this.fail(key, token).catch((error: unknown) =>
        this.logger.warn(
          `notification ${key}: could not release it after its handler failed (${describeError(error)}); the next delivery runs it once the lease lapses`,
        ),
      );
      return { status: 'handler-failed', error: first.error };
    }
    let recorded = false;
    try {
      const completed = this.call('complete', () =>
        this.store.complete(key, token, this.doneTtlMs),
      );
      recorded = (isThenable(completed) ? await completed : completed) === true;
      if (!recorded) {
        this.logger.error(
          `notification ${key} was handled after its lease was lost: another delivery may have run it too`,
        );
      }
    } catch (error) {
      // Acknowledged anyway: a failure answer would make WeChat Pay deliver an event whose
      // handler already ran.
      this.logger.error(
        `notification ${key} was handled but could not be recorded (${describeError(error)}); acknowledged, since its handler ran`,
      );
    }
    return { status: 'handled', result: first.value, recorded };
  }

  /**
   * Checks that the store answers within `storeTimeoutMs`: claims a key of its own
   * (`health:` and a random id, never an event's) for one second and releases it.
   * @returns how long the store took, in ms
   * @throws WechatPayStoreError when it fails or does not answer in time
   */
  async probe(): Promise<number> {
    const started = performance.now();
    const key = `health:${randomUUID()}`;
    const claim = await this.call('claim', () => this.store.claim(key, 1000));
    if (claim?.status === 'claimed')
      await this.call('release', () => this.store.release(key, claim.token));
    return performance.now() - started;
  }

  /**
   * Claims the event. A claim the store grants after its deadline is released when it arrives,
   * so the event is not held by a delivery that already answered.
   * @throws WechatPayStoreError when the store fails or does not answer within `storeTimeoutMs`
   */
  async begin(key: string): Promise<DeliveryDecision> {
    return this.decide(key);
  }

  /** {@link begin}, without a turn of the event loop when the store answers synchronously. */
  private decide(key: string): DeliveryDecision | Promise<DeliveryDecision> {
    const claim = this.call<ClaimResult | undefined>(
      'claim',
      () => this.store.claim(key, this.leaseMs),
      (late) => this.releaseLateClaim(key, late),
    );
    return isThenable(claim) ? claim.then(decisionOf) : decisionOf(claim);
  }

  /**
   * Keeps renewing the lease while a handler runs, for at most `handlerTimeoutMs`, so a slow
   * handler is not taken over by a redelivery but a hung one does not hold the event forever.
   * Store errors are logged and retried on the next renewal. Call the returned function when
   * the handler settled.
   * @param onLost told once when the lease was lost, or has lapsed because renewals kept
   *   failing (another delivery may run the handler too)
   */
  keepAlive(key: string, token: string, onLost?: () => void): () => void {
    return this.renewer.hold(key, token, onLost);
  }

  /**
   * Marks the event done, if `token` still holds its lease.
   * @returns false when the lease had been lost before the handler finished
   * @throws WechatPayStoreError when the store fails or does not answer within `storeTimeoutMs`
   */
  async succeed(key: string, token: string): Promise<boolean> {
    return (
      (await this.call('complete', () => this.store.complete(key, token, this.doneTtlMs))) === true
    );
  }

  /**
   * Releases the claim, if `token` still holds it, so the next delivery runs the handler.
   * @throws WechatPayStoreError when the store fails or does not answer within `storeTimeoutMs`
   */
  async fail(key: string, token: string): Promise<void> {
    await this.call('release', () => this.store.release(key, token));
  }

  /**
   * A store call with a deadline. A store that answers synchronously (the memory store) is
   * answered synchronously, with no timer; its throw becomes a `WechatPayStoreError` too.
   */
  private call<T>(
    operation: IdempotencyStoreOperation,
    invoke: () => PromiseLike<T> | T,
    onLate?: (value: T) => void,
  ): T | Promise<T> {
    let answer: PromiseLike<T> | T;
    try {
      answer = invoke();
    } catch (error) {
      countStoreError(operation, 'failure');
      throw storeFailure(operation, error);
    }
    if (!isThenable(answer)) return answer;
    const pending = answer;
    return new Promise<T>((resolve, reject) => {
      let late = false;
      const timer = setTimeout(() => {
        late = true;
        countStoreError(operation, 'timeout');
        reject(
          new WechatPayStoreError(
            `idempotency store: ${operation} did not answer within ${this.storeTimeoutMs} ms (notificationStoreTimeoutMs)`,
            { operation, timedOut: true },
          ),
        );
      }, this.storeTimeoutMs);
      pending
        .then(
          (value) => {
            clearTimeout(timer);
            if (late) onLate?.(value);
            else resolve(value);
          },
          (error: unknown) => {
            clearTimeout(timer);
            if (late) return;
            countStoreError(operation, 'failure');
            reject(storeFailure(operation, error));
          },
        )
        .then(undefined, () => undefined); // only onLate can throw here, after the answer
    });
  }

  private releaseLateClaim(key: string, late: ClaimResult | undefined): void {
    if (late?.status !== 'claimed') return;
    this.fail(key, late.token)
      .then(
        () =>
          this.logger.warn(
            `notification ${key}: a claim that timed out went through later; released it for the next delivery`,
          ),
        (error: unknown) =>
          this.logger.warn(
            `notification ${key}: a claim that timed out went through later and could not be released (${describeError(error)}); it lapses within ${this.leaseMs} ms`,
          ),
      )
      .catch(() => undefined);
  }

  /**
   * The result of a handler that was given up. It goes through the store's compare-and-set on
   * the lease token: once the lease lapsed it can neither mark the event done nor release the
   * claim of the delivery that took over.
   */
  private async settleLate(key: string, token: string, late: Settled<unknown>): Promise<void> {
    try {
      if (!late.ok) {
        await this.fail(key, token);
        this.logger.warn(
          `the given-up handler of notification ${key} failed at last: ${describeError(late.error)}`,
        );
      } else if (await this.succeed(key, token)) {
        this.logger.warn(
          `the given-up handler of notification ${key} finished late, before its lease lapsed: recorded as handled`,
        );
      } else {
        this.logger.warn(
          `the given-up handler of notification ${key} finished after its lease lapsed: not recorded, a later delivery runs (or ran) it`,
        );
      }
    } catch (error) {
      this.logger.warn(
        `the late result of notification ${key} could not be stored: ${describeError(error)}`,
      );
    }
  }
}

function decisionOf(claim: ClaimResult | undefined): DeliveryDecision {
  if (claim?.status === 'claimed' && typeof claim.token === 'string') {
    return { action: 'run', token: claim.token };
  }
  if (claim?.status === 'done') return { action: 'acknowledge' };
  if (claim?.status === 'running') return { action: 'retry-later' };
  throw new WechatPayStoreError(
    'idempotency store: claim answered neither claimed (with a token), running nor done',
    { operation: 'claim' },
  );
}

function countStoreError(operation: IdempotencyStoreOperation, type: 'timeout' | 'failure'): void {
  instruments()?.storeErrors.add(1, { 'wechatpay.store.operation': operation, 'error.type': type });
}

function storeFailure(operation: IdempotencyStoreOperation, error: unknown): WechatPayStoreError {
  return new WechatPayStoreError(
    `idempotency store: ${operation} failed: ${describeError(error)}`,
    { operation },
    { cause: error },
  );
}

function asStoreError(error: unknown, operation: IdempotencyStoreOperation): WechatPayStoreError {
  return error instanceof WechatPayStoreError ? error : storeFailure(operation, error);
}
