import { describeError } from '../notify/lease-renewer.js';
import type { WechatPayClient } from '../wechatpay-client.js';

/** The result of one health check: `healthy`, and what a health endpoint may show. */
export interface WechatPayHealthCheckResult {
  healthy: boolean;
  /** Why it is unhealthy; no secret. */
  message?: string;
  [detail: string]: unknown;
}

/**
 * A check of one more thing a WeChat Pay integration relies on, run by
 * {@link checkWechatPayHealth} beside the built-in ones: for example a scheduler of order
 * queries. It must answer by itself within a few seconds.
 * @example
 * const scheduler: WechatPayHealthCheck = { name: 'scheduler', check: () => ({ healthy: queue.isRunning() }) };
 */
export interface WechatPayHealthCheck {
  /** The key of the result in the report, e.g. `scheduler`. */
  name: string;
  check(): Promise<WechatPayHealthCheckResult> | WechatPayHealthCheckResult;
}

/** Options of {@link checkWechatPayHealth}. */
export interface WechatPayHealthOptions {
  /**
   * How long before the newest platform certificate expires the keys count as unhealthy: a
   * certificate list that is not renewed by then leaves nothing to verify WeChat Pay with.
   * @default 604800000 (7 days)
   */
  keyExpiryMarginMs?: number;
  /** More checks, e.g. of a scheduler. @default [] */
  checks?: readonly WechatPayHealthCheck[];
  /** @default Date.now */
  now?: () => number;
}

/** The health of one merchant's WeChat Pay integration, check by check. */
export interface WechatPayHealthReport {
  /** Whether every check is healthy. */
  healthy: boolean;
  checks: Record<string, WechatPayHealthCheckResult>;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Checks what a merchant's integration needs to take payments and notifications: the keys
 * that verify WeChat Pay (present, and the platform certificates not about to expire; the last
 * certificate download is reported, and only fails the check when no usable key is left), the
 * idempotency store (a claim and release within `notificationStoreTimeoutMs`), the recovery
 * scheduler when the `recovery` option is on (`recovery`: started, its store or its queue's
 * Redis answering within the same deadline), the daily reconciliation job's scheduler once the
 * job started (`reconciliation`: likewise), and `checks`.
 * Never calls WeChat Pay: an outage there is not this app's ill health.
 * @example
 * const report = await checkWechatPayHealth(client);
 * res.writeHead(report.healthy ? 200 : 503).end(JSON.stringify(report));
 */
export async function checkWechatPayHealth(
  client: Pick<WechatPayClient, 'platformKeys' | 'notifications' | 'config' | 'recovery'> &
    Partial<Pick<WechatPayClient, 'dailyReconciliation'>>,
  options: WechatPayHealthOptions = {},
): Promise<WechatPayHealthReport> {
  const checks = [
    storeCheck(client),
    ...(client.recovery.enabled ? [recoveryCheck(client)] : []),
    ...(client.dailyReconciliation?.running ? [reconciliationCheck(client)] : []),
    ...(options.checks ?? []),
  ];
  const results = await Promise.all([
    Promise.resolve(keysCheck(client, options)),
    ...checks.map(runCheck),
  ]);
  const names = ['platformKeys', ...checks.map((c) => c.name)];
  return {
    healthy: results.every((r) => r.healthy),
    checks: Object.fromEntries(names.map((name, i) => [name, results[i]!])),
  };
}

function keysCheck(
  client: Pick<WechatPayClient, 'platformKeys' | 'config'>,
  options: WechatPayHealthOptions,
): WechatPayHealthCheckResult {
  if (!client.config.hasV3) return { healthy: true, message: 'API v3 not configured' };
  const now = (options.now ?? Date.now)();
  const margin = options.keyExpiryMarginMs ?? 7 * DAY_MS;
  const status = client.platformKeys.status();
  const lastRefresh = status.lastRefresh && {
    at: new Date(status.lastRefresh.at).toISOString(),
    ok: status.lastRefresh.ok,
  };
  const valid = status.certificates.filter((c) => c.notBefore <= now && now < c.notAfter);
  const validUntil = Math.max(...valid.map((c) => c.notAfter));
  const details = {
    publicKey: status.publicKeyId !== undefined,
    certificates: valid.length,
    ...(valid.length > 0 && { certificatesValidUntil: new Date(validUntil).toISOString() }),
    ...(lastRefresh && { lastRefresh }),
  };
  if (status.publicKeyId !== undefined) return { healthy: true, ...details };
  if (valid.length === 0) {
    return {
      healthy: false,
      message: status.usesCertificates
        ? 'no valid platform certificate is loaded: the download failed or has not run yet'
        : 'no platform certificate exists for this merchant: configure platformPublicKey and platformPublicKeyId',
      ...details,
    };
  }
  if (validUntil - now < margin) {
    return {
      healthy: false,
      message: `the newest platform certificate expires within ${Math.round(margin / DAY_MS)} days and no newer one was downloaded`,
      ...details,
    };
  }
  return { healthy: true, ...details };
}

/** A claim and release in the idempotency store. */
function storeCheck(client: Pick<WechatPayClient, 'notifications'>): WechatPayHealthCheck {
  return {
    name: 'idempotencyStore',
    check: async () => ({
      healthy: true,
      latencyMs: Math.round(await client.notifications.probe()),
    }),
  };
}

/** The scheduler of missed-notification recovery, when the `recovery` option is on. */
function recoveryCheck(client: Pick<WechatPayClient, 'recovery' | 'config'>): WechatPayHealthCheck {
  return {
    name: 'recovery',
    check: () => client.recovery.health(client.config.notificationStoreTimeoutMs),
  };
}

/** The scheduler of the daily reconciliation job, once started. */
function reconciliationCheck(
  client: Pick<WechatPayClient, 'config'> & Partial<Pick<WechatPayClient, 'dailyReconciliation'>>,
): WechatPayHealthCheck {
  return {
    name: 'reconciliation',
    check: () => client.dailyReconciliation!.health(client.config.notificationStoreTimeoutMs),
  };
}

async function runCheck(check: WechatPayHealthCheck): Promise<WechatPayHealthCheckResult> {
  try {
    return await check.check();
  } catch (error) {
    return { healthy: false, message: describeError(error) };
  }
}
