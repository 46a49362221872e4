import type { SimulatorMerchants } from '../merchants.js';
import type { PlatformKeys } from '../keys/platform-keys.js';
import type { SimulatorNotifications } from '../notifications/notifications.js';
import type { WechatPaySimulatorOptions } from '../simulator-options.js';
import type { V3Route } from '../v3/answers.js';
import type { V2Route } from '../v2/route.js';

/**
 * One WeChat Pay product in the simulator (payments, refunds, bills, …): its endpoints in both
 * API versions. It keeps its own records and builds its own notifications with the context's
 * `notifications`; test hooks (`pay`, `completeRefund`) are methods of the product that the
 * `WechatPaySimulator` façade forwards to.
 */
export interface SimulatorProduct {
  /** API v3 endpoints: method, path pattern (matched against the path without query), handler. */
  readonly v3Routes?: readonly V3Route[];
  /** API v2 endpoints by path, without the sandbox prefix. */
  readonly v2Routes?: Readonly<Record<string, V2Route>>;
  /** v2 paths besides `/secapi/*` that need the merchant's client certificate. */
  readonly v2CertificatePaths?: readonly string[];
  /** Cancels the product's timers when the simulator stops. */
  stop?(): void;
}

/** What every product may use: the simulator's options, merchants, keys and notifications. */
export interface SimulatorContext {
  readonly options: WechatPaySimulatorOptions;
  readonly merchants: SimulatorMerchants;
  readonly platformKeys: PlatformKeys;
  readonly notifications: SimulatorNotifications;
}
