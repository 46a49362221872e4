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
  /** HTTP status of the answer; `undefined` when there was none (refused, timed out). */
  status?: number;
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

  /** Resolves when a delivery matching `predicate` has been recorded. */
  async waitFor(
    predicate: (delivery: NotificationDelivery) => boolean,
    timeoutMs = 10_000,
  ): Promise<NotificationDelivery> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.deliveries.find(predicate);
      if (found) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error('simulator: no matching notification delivery in time');
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

  /** Cancels pending redeliveries. */
  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async attempt(
    notification: OutgoingNotification,
    attempt: number,
    retry: boolean,
  ): Promise<NotificationDelivery> {
    const { body, headers } = notification.build();
    const delivery: NotificationDelivery = {
      id: notification.id,
      eventType: notification.eventType,
      url: notification.url,
      attempt,
      responseBody: '',
      at: new Date(),
    };
    try {
      const response = await fetch(notification.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      delivery.status = response.status;
      delivery.responseBody = await response.text();
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    this.record(delivery);
    const ok =
      delivery.status !== undefined &&
      notification.isSuccess(delivery.status, delivery.responseBody);
    const delay = NOTIFY_RETRY_SCHEDULE_SECONDS[attempt - 1];
    if (!ok && retry && delay !== undefined) {
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

  private record(delivery: NotificationDelivery): void {
    this.deliveries.push(delivery);
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }
}
