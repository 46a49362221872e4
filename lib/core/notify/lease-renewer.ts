/** Where {@link LeaseRenewer} reports lost leases and failed renewals. */
export interface LeaseRenewerLogger {
  warn(message: string): void;
  error(message: string): void;
}

/** Options of {@link LeaseRenewer}. */
export interface LeaseRenewerOptions {
  /** How long a lease holds without renewal; renewals come every third of it. */
  leaseMs: number;
  /** How long a handler may run: its lease is renewed only until then, so a hung one lapses. */
  handlerTimeoutMs: number;
  /**
   * Extends the lease of `key` held by `token`; false when the lease was lost. May answer
   * directly or by a promise, and may throw.
   */
  extend: (key: string, token: string) => boolean | Promise<boolean>;
  logger: LeaseRenewerLogger;
}

/** A running handler's lease. */
interface Lease {
  readonly key: string;
  readonly token: string;
  readonly onLost: (() => void) | undefined;
  readonly started: number;
  renewedAt: number;
  renewing: boolean;
  lost: boolean;
  stopped: boolean;
}

/**
 * Renews the leases of every running handler from one timer: a timer per delivery cost each
 * notification a setInterval and a clearInterval. The timer runs only while leases are held,
 * and nothing it does can throw into the process: not the store, not a callback, not the logger.
 */
export class LeaseRenewer {
  private readonly leases = new Set<Lease>();
  private timer: NodeJS.Timeout | undefined;
  private readonly period: number;

  constructor(private readonly options: LeaseRenewerOptions) {
    this.period = Math.max(250, Math.floor(options.leaseMs / 3));
  }

  /**
   * Keeps renewing the lease until the returned function is called, for at most
   * `handlerTimeoutMs`. Renewal errors are logged and retried on the next tick.
   * @param onLost told once when the lease was lost, or lapsed because renewals kept failing
   */
  hold(key: string, token: string, onLost?: () => void): () => void {
    const now = Date.now();
    const lease: Lease = {
      key,
      token,
      onLost,
      started: now,
      renewedAt: now,
      renewing: false,
      lost: false,
      stopped: false,
    };
    this.leases.add(lease);
    this.timer ??= this.start();
    return () => {
      lease.stopped = true;
      this.leases.delete(lease);
    };
  }

  private start(): NodeJS.Timeout {
    const timer = setInterval(() => {
      if (this.leases.size === 0) {
        clearInterval(timer);
        this.timer = undefined;
        return;
      }
      const now = Date.now();
      for (const lease of this.leases) {
        // A lease taken since the last tick is still fresh; it is renewed at the next one, so
        // renewals are at most 1.5 periods (half a lease) apart.
        if (now - lease.renewedAt < this.period / 2) continue;
        void this.renew(lease, now).catch(() => undefined);
      }
    }, this.period);
    timer.unref();
    return timer;
  }

  private async renew(lease: Lease, now: number): Promise<void> {
    const { leaseMs, handlerTimeoutMs, logger } = this.options;
    if (now - lease.started >= handlerTimeoutMs) {
      this.leases.delete(lease); // a hung handler's lease must lapse
      return;
    }
    if (lease.renewing || lease.lost) return;
    lease.renewing = true;
    try {
      const held = await this.options.extend(lease.key, lease.token);
      // A renewal answered after the handler settled says nothing: the event may be done.
      if (lease.stopped) return;
      if (held) lease.renewedAt = Date.now();
      else
        this.lose(lease, `the lease on notification ${lease.key} was lost while its handler ran`);
    } catch (error) {
      if (lease.stopped) return;
      logger.warn(
        `could not renew the lease on notification ${lease.key}: ${describeError(error)}; trying again`,
      );
      if (Date.now() - lease.renewedAt >= leaseMs) {
        this.lose(
          lease,
          `the lease on notification ${lease.key} lapsed: it could not be renewed for ${leaseMs} ms`,
        );
      }
    } finally {
      lease.renewing = false;
    }
  }

  private lose(lease: Lease, message: string): void {
    lease.lost = true;
    this.options.logger.error(`${message}: another delivery may run it too`);
    try {
      lease.onLost?.();
    } catch (error) {
      this.options.logger.error(`keepAlive onLost callback threw: ${describeError(error)}`);
    }
  }
}

/** An error's message, or the value as text. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
