import { SimulatorDashboard } from './dashboard/dashboard.js';
import { FaultQueue, type SimulatorListener } from './faults.js';
import { handleRequest } from './http/request-handler.js';
import { SimulatorListeners } from './http/listeners.js';
import { MerchantTls } from './keys/merchant-tls.js';
import { PlatformKeys } from './keys/platform-keys.js';
import { SimulatorMerchants } from './merchants.js';
import { SimulatorNotifications } from './notifications/notifications.js';
import { SimulatorNotifier } from './notifications/notifier.js';
import { createProducts, productRoutes, type SimulatorProducts } from './products/index.js';
import type { SimulatorProduct } from './products/product.js';
import type { SimulatorRequestRecord, WechatPaySimulatorOptions } from './simulator-options.js';
import { NextResponseTamper } from './tampering.js';
import type { TestMerchant } from './test-merchant.js';
import { V3Router } from './v3/router.js';
import { V2Router } from './v2/router.js';
import { V2Keys } from './v2/v2-keys.js';

/**
 * The simulator's parts, built once and wired together: merchants, keys, notifications, the
 * products, and the listeners that hand each request to the dashboard or to the simulated
 * WeChat Pay. `WechatPaySimulator` is the façade tests use over it.
 */
export class SimulatorParts {
  /** Every request received, in order. */
  readonly requests: SimulatorRequestRecord[] = [];
  /** The merchants allowed to call. */
  readonly merchants: SimulatorMerchants;
  /** The platform certificates and public key answers are signed with. */
  readonly platformKeys: PlatformKeys;
  /** The CA of the HTTPS listener and of the merchants' client certificates. */
  readonly tls = new MerchantTls();
  /** Delivers notifications and logs every attempt. */
  readonly notifier: SimulatorNotifier;
  /** What the products send notifications through (signing, dropping). */
  readonly notifications: SimulatorNotifications;
  /** Every product, by name. */
  readonly products: SimulatorProducts;
  /** Faults injected into upcoming requests. */
  readonly faults = new FaultQueue();
  /** The tamper for the next signed answer. */
  readonly tampers = new NextResponseTamper();
  /** The HTTP(S) servers. */
  readonly listeners: SimulatorListeners;

  constructor(
    private readonly options: WechatPaySimulatorOptions,
    merchant: TestMerchant,
  ) {
    this.merchants = new SimulatorMerchants(merchant);
    this.platformKeys = new PlatformKeys(options.verification ?? 'certificate');
    this.notifier = new SimulatorNotifier(options.notifications);
    const v2Keys = new V2Keys(this.merchants);
    const notifications = (this.notifications = new SimulatorNotifications(
      this.notifier,
      options.notifications?.autoDeliver ?? true,
      this.platformKeys,
      v2Keys,
      this.merchants,
    ));
    this.products = createProducts({
      options,
      merchants: this.merchants,
      platformKeys: this.platformKeys,
      notifications,
    });
    const routes = productRoutes(this.products);
    const deps = {
      requests: this.requests,
      maxBodyBytes: options.maxBodyBytes ?? 6 * 1024 * 1024,
      faults: this.faults,
      tampers: this.tampers,
      merchants: this.merchants,
      platformKeys: this.platformKeys,
      v3: new V3Router(routes.v3),
      v2: new V2Router(this.merchants, v2Keys, routes.v2, routes.v2CertificatePaths),
      url: (listener: SimulatorListener) => this.listeners.url(listener),
    };
    const dashboard = new SimulatorDashboard({
      ...deps,
      products: this.products,
      notifier: this.notifier,
      hasListener: (listener) => this.listeners.has(listener),
    });
    this.listeners = new SimulatorListeners((listener, req, res) =>
      listener === 'primary' && dashboard.handles(req)
        ? void dashboard.handle(req, res)
        : void handleRequest(deps, listener, req, res),
    );
  }

  /**
   * Starts the listeners on 127.0.0.1, on free ports unless `ports` fixes them.
   * @throws the listen error (e.g. `EADDRINUSE`) when a fixed port is taken
   */
  async start(): Promise<void> {
    await this.platformKeys.start();
    const pki = this.options.https ? await this.tls.start(this.merchants.values()) : undefined;
    const ports = this.options.ports ?? {};
    await this.listeners.start('primary', undefined, ports.primary);
    if (this.options.backup !== false)
      await this.listeners.start('backup', undefined, ports.backup);
    if (pki) await this.listeners.start('secure', pki, ports.secure);
  }

  /** Stops redeliveries, the products' timers and the listeners, dropping every connection. */
  async stop(): Promise<void> {
    this.notifier.stop();
    for (const product of Object.values<SimulatorProduct>(this.products)) product.stop?.();
    await this.listeners.stop();
  }
}
