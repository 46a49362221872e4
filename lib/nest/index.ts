export * from './inject-wechatpay.decorator.js';
export * from './wechatpay.config.js';
export {
  type WechatPayModuleAsyncOptions,
  type WechatPayModuleExtras,
  type WechatPayModuleOptions,
  type WechatPayOptionsFactory,
} from './wechatpay.module-definition.js';
export * from './wechatpay.module.js';
export * from './wechatpay.service.js';
export * from './wechatpay.tokens.js';
export * from './notify/index.js';
