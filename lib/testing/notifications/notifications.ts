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

  /**
   * Delivers by itself after a state change, redelivering on failure; with `autoDeliver` off,
   * nothing is built (no notification id is assigned) until a test asks for a delivery.
   */
  send(build: () => OutgoingNotification): void {
    if (this.autoDeliver) this.notifier.schedule(build());
  }
}
