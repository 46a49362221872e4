export * from './core/config/env-names.js';
export * from './core/config/options-from-env.js';
export * from './core/config/options.js';
export * from './core/config/resolve-config.js';
export * from './core/crypto/index.js';
export * from './core/errors.js';
export * from './core/http/domains.js';
export * from './nest/index.js';
