export * from './test-merchant.js';
