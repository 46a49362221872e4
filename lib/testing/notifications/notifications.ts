import type { PlatformKeys } from '../keys/platform-keys.js';
import type { SimulatorMerchants } from '../merchants.js';
import type { V2Keys } from '../v2/v2-keys.js';
import type { OutgoingNotification, SimulatorNotifier } from './notifier.js';
import { v2Notification, type V2NotificationSpec } from './v2-notification.js';
import { v3Notification, type V3NotificationSpec } from './v3-notification.js';

/**
 * What products use to notify: envelopes signed with the simulator's keys (v3) or the merchant's
 * (v2), and automatic delivery (with redelivery) after a state change.
 */
export class SimulatorNotifications {
  constructor(
    private readonly notifier: SimulatorNotifier,
    private readonly autoDeliver: boolean,
    private readonly platformKeys: PlatformKeys,
    private readonly v2Keys: V2Keys,
    private readonly merchants: SimulatorMerchants,
  ) {}

  /** An API v3 notification, encrypted with the APIv3 key of `spec.mchid`. */
  v3({ mchid, ...spec }: V3NotificationSpec): OutgoingNotification {
    return v3Notification(
      { ...spec, apiV3Key: this.merchants.getOrDefault(mchid).apiV3Key },
      (body, timestamp) => this.platformKeys.signMessage(body, timestamp),
    );
  }

  /** An API v2 notification, signed with the key the order was placed with. */
  v2(spec: V2NotificationSpec): OutgoingNotification {
    return v2Notification(spec, (mchid, sandbox) => this.v2Keys.keyFor(mchid, sandbox));
  }

  /** What {@link drop} was told to lose: everything, or the notifications of these subjects. */
  private readonly dropping = { all: false, subjects: new Set<string>() };

  /**
   * Delivers by itself after a state change, redelivering on failure; with `autoDeliver` off,
   * nothing is built (no notification id is assigned) until a test asks for a delivery.
   * @param subject what the notification is about (an `out_trade_no`), for {@link drop}
   */
  send(build: () => OutgoingNotification, subject?: string): void {
    if (this.dropping.all || (subject !== undefined && this.dropping.subjects.has(subject))) return;
    if (this.autoDeliver) this.notifier.schedule(build());
  }

  /**
   * Loses the automatic notifications from now on, as a broken network or a wrong notify_url
   * would: every one (`'all'`), or those of one order. Deliveries a test asks for still go out.
   */
  drop(what: 'all' | { outTradeNo: string }): void {
    if (what === 'all') this.dropping.all = true;
    else this.dropping.subjects.add(what.outTradeNo);
  }

  /** Delivers automatic notifications again (those lost meanwhile stay lost). */
  stopDropping(): void {
    this.dropping.all = false;
    this.dropping.subjects.clear();
  }
}
