import type { WechatPayConfig } from '../core/config/resolve-config.js';

/**
 * WeChat Pay for one merchant registration. Inject it by type for the unnamed registration, or
 * with `@InjectWechatPay(name)` for a named one.
 * @example
 * constructor(private readonly wechatPay: WechatPayService) {}
 */
export class WechatPayService {
  /** @param config the validated configuration of this registration */
  constructor(readonly config: WechatPayConfig) {}

  /** The registration name; `undefined` for the default registration. */
  get name(): string | undefined {
    return this.config.name;
  }

  /** The merchant number this service acts for (`sp_mchid` in partner mode). */
  get mchid(): string {
    return this.config.mchid;
  }
}
