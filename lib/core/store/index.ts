export * from './idempotency-store.js';
export * from './memory-idempotency-store.js';
export * from './redis-idempotency-store.js';
