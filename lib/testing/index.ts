export { createPlatformCertificate, type PlatformCertificate } from './platform-certificate.js';
export type { SimulatedOrder, SimulatedRefund } from './simulator-state.js';
export * from './simulator.js';
export * from './test-merchant.js';
