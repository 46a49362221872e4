// nestjs-wechatpay/health: the @nestjs/terminus health indicator, kept out of the main entry
// so that terminus stays an optional peer.
export {
  WechatPayHealthIndicator,
  type WechatPayHealthIndicatorOptions,
} from './wechatpay.health-indicator.js';
export type {
  WechatPayHealthCheck,
  WechatPayHealthCheckResult,
  WechatPayHealthOptions,
  WechatPayHealthReport,
} from '../../core/health/wechatpay-health.js';
