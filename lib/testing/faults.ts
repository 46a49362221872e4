/** Which listener: the primary domain, the backup domain, or the HTTPS listener. */
export type SimulatorListener = 'primary' | 'backup' | 'secure';

/** A fault the simulator injects instead of answering normally. */
export type SimulatorFault =
  | { type: 'status'; status: number; code?: string; message?: string }
  /** API v2: a signed HTTP 200 answer with `result_code` FAIL and this `err_code` (e.g. SYSTEMERROR). */
  | { type: 'v2Error'; code: string; message?: string }
  | { type: 'reset' }
  | { type: 'delay'; ms: number }
  /**
   * Answer as usual, but after the headers send the body `bytes` at a time (default 1), one
   * piece every `intervalMs`: a server that is alive but too slow to finish.
   */
  | { type: 'trickle'; intervalMs: number; bytes?: number };

/** The `trickle` fault: how an answer is paced. */
export type TrickleFault = Extract<SimulatorFault, { type: 'trickle' }>;

/** A fault waiting for its requests. */
export interface PendingFault {
  fault: SimulatorFault;
  /** How many more requests it spoils. */
  remaining: number;
  /** Which listener's requests it spoils. */
  listener: SimulatorListener | 'any';
}

/** Faults waiting for the requests they spoil, first injected first used. */
export class FaultQueue {
  private pending: PendingFault[] = [];

  /** Spoils the next `count` requests (default 1) to `listener` (default the primary one). */
  inject(
    fault: SimulatorFault,
    options: { count?: number; listener?: SimulatorListener | 'any' } = {},
  ): void {
    this.pending.push({
      fault,
      remaining: options.count ?? 1,
      listener: options.listener ?? 'primary',
    });
  }

  /** The faults still waiting, first used first. */
  list(): readonly Readonly<PendingFault>[] {
    return this.pending;
  }

  /** The fault for a request that just arrived at `listener`, if one is waiting. */
  take(listener: SimulatorListener): SimulatorFault | undefined {
    const pending = this.pending.find((f) => f.listener === 'any' || f.listener === listener);
    if (!pending) return undefined;
    pending.remaining -= 1;
    if (pending.remaining <= 0) this.pending = this.pending.filter((f) => f !== pending);
    return pending.fault;
  }
}
