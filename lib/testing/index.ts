// The `nestjs-wechatpay/testing` entry point: a local WeChat Pay for tests and demos.
// Named exports only, pinned by test/unit/public-api.spec.ts.
export {
  WechatPaySimulator,
  type NotificationTamper,
  type ResponseTamper,
  type SimulatorFault,
  type SimulatorListener,
  type SimulatorRequestRecord,
  type SimulatorVerification,
  type WechatPaySimulatorOptions,
} from './simulator.js';
export { createTestMerchant, type TestMerchant } from './test-merchant.js';
export { createPlatformCertificate, type PlatformCertificate } from './platform-certificate.js';
export type { SimulatedOrder, SimulatedRefund } from './simulator-state.js';
export {
  NOTIFY_RETRY_SCHEDULE_SECONDS,
  type NotificationDelivery,
  type SimulatorNotifierOptions,
} from './simulator-notifier.js';
