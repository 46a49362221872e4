export { createPlatformCertificate, type PlatformCertificate } from './platform-certificate.js';
export type { SimulatedOrder, SimulatedRefund } from './simulator-state.js';
export * from './simulator.js';
export {
  NOTIFY_RETRY_SCHEDULE_SECONDS,
  type NotificationDelivery,
  type SimulatorNotifierOptions,
} from './simulator-notifier.js';
export * from './test-merchant.js';
