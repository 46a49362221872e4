/** WeChat Pay's redelivery intervals after a failed delivery, in seconds (24 h 4 min in all). */
export const NOTIFY_RETRY_SCHEDULE_SECONDS = [
  15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
] as const;

/** One delivery attempt and its answer. */
export interface NotificationDelivery {
  /** The notification id (v3) or the order/refund number (v2). */
  id: string;
  eventType: string;
  url: string;
  /** 1 for the first delivery, 2 for the first retry, … */
  attempt: number;
  /** HTTP status of the answer; `undefined` when there was none (refused, timed out, dropped). */
  status?: number;
  /** The body sent: the signed envelope (its `resource` still encrypted) or the v2 XML. */
  requestBody: string;
  responseBody: string;
  error?: string;
  at: Date;
}

/** A notification ready to send: where, what, and how to sign it. */
export interface OutgoingNotification {
  id: string;
  eventType: string;
  url: string;
  /** Builds the body and headers afresh for each attempt (a fresh timestamp and signature). */
  build: () => { body: string; headers: Record<string, string> };
  /** Whether an answer acknowledges the notification. */
  isSuccess: (status: number, body: string) => boolean;
}

/** Options of {@link SimulatorNotifier}. */
export interface SimulatorNotifierOptions {
  /**
   * Multiplies the retry schedule: 0.001 turns 15 s into 15 ms, for tests.
   * @default 1
   */
  timeScale?: number;
  /** How long WeChat Pay waits for an answer. @default 5000 */
  timeoutMs?: number;
}

/**
 * Delivers notifications the way WeChat Pay does: a POST to `notify_url`, the answer read within
 * a few seconds, and redelivery on failure following the official schedule.
 */
export class SimulatorNotifier {
  readonly deliveries: NotificationDelivery[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters = new Set<() => void>();
  private readonly timeScale: number;
  private readonly timeoutMs: number;
  private abort = new AbortController();
  private drops = 0;

  constructor(options: SimulatorNotifierOptions = {}) {
    this.timeScale = options.timeScale ?? 1;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /** Delivers now and keeps redelivering on failure, following the schedule. */
  schedule(notification: OutgoingNotification): void {
    void this.attempt(notification, 1, true);
  }

  /**
   * Delivers `copies` identical deliveries at the same moment, once, without redelivery.
   * @returns the answers, in order
   */
  async deliverNow(
    notification: OutgoingNotification,
    copies = 1,
  ): Promise<NotificationDelivery[]> {
    return Promise.all(Array.from({ length: copies }, () => this.attempt(notification, 1, false)));
  }

  /**
   * Resolves when a delivery matching `predicate` has been recorded; rejects after `timeoutMs`
   * with every attempt so far (URL, status and body, or the connection error) in the message.
   */
  async waitFor(
    predicate: (delivery: NotificationDelivery) => boolean,
    timeoutMs = 10_000,
  ): Promise<NotificationDelivery> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.deliveries.find(predicate);
      if (found) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(this.describeTimeout(timeoutMs));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, remaining);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.add(done);
      });
    }
  }

  /**
   * Loses the next `count` delivery attempts on the way, as a network might: nothing is sent,
   * the attempt is logged without a status, and redelivery follows the schedule as after any
   * failure.
   */
  dropNext(count = 1): void {
    if (!Number.isInteger(count) || count < 1) {
      throw new Error(`simulator: count must be a positive integer, not ${count}`);
    }
    this.drops += count;
  }

  /** How many upcoming delivery attempts will be dropped. */
  get pendingDrops(): number {
    return this.drops;
  }

  /** Cancels pending redeliveries and aborts deliveries in flight. */
  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.abort.abort();
    this.abort = new AbortController();
  }

  private async attempt(
    notification: OutgoingNotification,
    attempt: number,
    retry: boolean,
  ): Promise<NotificationDelivery> {
    const { body, headers } = notification.build();
    const stopped = this.abort.signal;
    const delivery: NotificationDelivery = {
      id: notification.id,
      eventType: notification.eventType,
      url: notification.url,
      attempt,
      requestBody: body,
      responseBody: '',
      at: new Date(),
    };
    if (this.drops > 0) {
      this.drops -= 1;
      delivery.error = DROPPED;
    } else {
      await this.send(notification.url, headers, body, delivery, stopped);
    }
    this.record(delivery);
    const ok =
      delivery.status !== undefined &&
      notification.isSuccess(delivery.status, delivery.responseBody);
    const delay = NOTIFY_RETRY_SCHEDULE_SECONDS[attempt - 1];
    if (!ok && retry && delay !== undefined && !stopped.aborted) {
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          void this.attempt(notification, attempt + 1, true);
        },
        delay * 1000 * this.timeScale,
      );
      this.timers.add(timer);
    }
    return delivery;
  }

  /** POSTs one attempt and writes its answer (or why there was none) into `delivery`. */
  private async send(
    url: string,
    headers: Record<string, string>,
    body: string,
    delivery: NotificationDelivery,
    stopped: AbortSignal,
  ): Promise<void> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.any([stopped, AbortSignal.timeout(this.timeoutMs)]),
      });
      delivery.status = response.status;
      delivery.responseBody = await response.text();
    } catch (error) {
      delivery.error = describeFailure(error, this.timeoutMs);
    }
  }

  private describeTimeout(timeoutMs: number): string {
    const head = `simulator: no matching notification delivery within ${timeoutMs} ms`;
    if (!this.deliveries.length) {
      return `${head}, and no notification was delivered at all: simulator.pay() and completeRefund() send one to the order's notify_url (unless autoDeliver is false), deliverTransaction() and deliverRefund() on demand`;
    }
    const shown = this.deliveries.slice(-MAX_LISTED_ATTEMPTS);
    const skipped = this.deliveries.length - shown.length;
    return [
      `${head}; the ${this.deliveries.length} attempts so far${skipped ? ` (the last ${shown.length})` : ''}:`,
      ...shown.map((d) => `  ${describeDelivery(d)}`),
    ].join('\n');
  }

  private record(delivery: NotificationDelivery): void {
    this.deliveries.push(delivery);
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }
}

/** The `error` of an attempt lost to `dropNext()`. */
const DROPPED = 'dropped: lost on the way by an injected fault (dropNextNotifications)';

const MAX_LISTED_ATTEMPTS = 20;
const MAX_LISTED_BODY = 200;

/** `#1 TRANSACTION.SUCCESS <id> → <url> ← 500 <body>`, or `…: connect ECONNREFUSED …`. */
function describeDelivery(d: NotificationDelivery): string {
  const target = `#${d.attempt} ${d.eventType} ${d.id} → ${d.url}`;
  if (d.status === undefined) return `${target}: ${d.error ?? 'no answer'}`;
  const body =
    d.responseBody.length > MAX_LISTED_BODY
      ? `${d.responseBody.slice(0, MAX_LISTED_BODY)}…`
      : d.responseBody;
  return `${target} ← ${d.status}${body ? ` ${body}` : ''}`;
}

/** fetch() says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND…) is in its cause. */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (error.name === 'AbortError') return 'aborted: the simulator stopped';
  const cause = error.cause as { message?: unknown; code?: unknown } | undefined;
  const reason = (typeof cause?.message === 'string' && cause.message) || cause?.code;
  return typeof reason === 'string' ? reason : error.message;
}
