/** What a recovery scheduler says of itself to a health check; no secret. */
export interface RecoverySchedulerHealth {
  healthy: boolean;
  /** Why it is unhealthy. */
  message?: string;
  [detail: string]: unknown;
}

/**
 * Times `probe` against a deadline, so that a store or Redis that hangs makes the health check
 * answer "down" in time rather than hang the health endpoint.
 */
export async function probeWithin(
  what: string,
  probe: () => unknown,
  timeoutMs: number,
): Promise<RecoverySchedulerHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([Promise.resolve().then(probe), deadline]);
    return { healthy: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      healthy: false,
      message: reason.startsWith(what) ? reason : `${what} is unreachable: ${reason}`,
    };
  } finally {
    clearTimeout(timer);
  }
}
