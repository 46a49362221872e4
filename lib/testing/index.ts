export type { SimulatorFault, SimulatorListener } from './faults.js';
export {
  createPlatformCertificate,
  type PlatformCertificate,
} from './keys/platform-certificate.js';
export type { SimulatorVerification } from './keys/platform-keys.js';
export {
  NOTIFY_RETRY_SCHEDULE_SECONDS,
  type NotificationDelivery,
  type SimulatorNotifierOptions,
} from './notifications/notifier.js';
export type { BillAlteration } from './products/bills/bill-file.js';
export type { PaymentCodeScript } from './products/code-payments/till.js';
export type {
  SimulatedComplaint,
  SimulatedNegotiation,
} from './products/complaints/complaint-book.js';
export type { FileComplaintOptions } from './products/complaints/complaints.js';
export type { SimulatedOrder } from './products/payments/orders.js';
export type { SimulatedRefund } from './products/refunds/refund-book.js';
export type { SimulatedTransfer } from './products/transfers/transfer-book.js';
export { WechatPaySimulator } from './simulator.js';
export type { SimulatorRequestRecord, WechatPaySimulatorOptions } from './simulator-options.js';
export type { NotificationTamper, ResponseTamper } from './tampering.js';
export { createTestMerchant, type TestMerchant } from './test-merchant.js';
