export * from './bill.dto.js';
export * from './common.dto.js';
export * from './prepay.dto.js';
export * from './refund.dto.js';
