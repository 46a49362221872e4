import { WECHATPAY_ENV } from '../config/env-names.js';
import type { WechatPayMode } from '../config/options.js';
import { WechatPayNotificationError, WechatPayValidationError } from '../errors.js';

/** The configuration that says who the merchant is; a `WechatPayConfig` is one. */
export interface MerchantIdentityConfig {
  /** `merchant` (直连商户) or `partner` (服务商). */
  readonly mode: WechatPayMode;
  /** The merchant number; the service provider's in partner mode. */
  readonly mchid: string;
  /** The default AppID of every call. */
  readonly appid: string | undefined;
  /** The other AppIDs the merchant places orders with. */
  readonly appids: readonly string[];
  /** Partner mode: the default sub-merchant. */
  readonly subMchid: string | undefined;
  /** Partner mode: the default sub-merchant AppID. */
  readonly subAppid: string | undefined;
  /** The default `notify_url` of orders. */
  readonly notifyUrl: string | undefined;
  /** The default `notify_url` of refunds. */
  readonly refundNotifyUrl: string | undefined;
  /** The default `notify_url` of transfers. */
  readonly transferNotifyUrl?: string;
}

/**
 * Every AppID a merchant accepts: `appid` (the default of every call) and the other `appids`.
 * Empty when none is configured, and then AppIDs are not checked.
 */
export function acceptedAppids(
  appid: string | undefined,
  appids: readonly string[] = [],
): readonly string[] {
  return [...new Set(appid === undefined ? appids : [appid, ...appids])];
}

/**
 * Refuses a verified notification whose AppID (`appid`, or `sp_appid` in partner mode) is not
 * one the merchant declared: its order was not placed through this configuration. A missing
 * AppID (refund notifications carry none) passes.
 * @throws WechatPayNotificationError saying which AppID arrived, which are accepted, and the fix
 */
export function assertNotificationAppid(
  value: unknown,
  field: string,
  accepted: readonly string[],
): void {
  if (value === undefined || accepted.length === 0) return;
  if (typeof value === 'string' && accepted.includes(value)) return;
  throw new WechatPayNotificationError(
    `the notification is for ${field} ${JSON.stringify(value)}, which is not one of this merchant's AppIDs (${accepted.join(', ')}): if it is yours, add it to the appids option (${WECHATPAY_ENV.appids}); otherwise check that its notify_url routes to the right registration`,
  );
}

/**
 * The merchant that placed what a verified v3 payload is about: `sp_mchid` in partner mode, else
 * `mchid`, and `combine_mchid` for a combine payment (合单支付), whose sub-orders each name
 * their own merchant.
 */
export function notificationOwner(payload: Record<string, unknown>): unknown {
  // Transfer notifications (MCHTRANSFER.BILL.FINISHED) name the merchant `mch_id`.
  return payload.sp_mchid ?? payload.mchid ?? payload.combine_mchid ?? payload.mch_id;
}

/**
 * The field of a verified v3 payload holding the AppID it was placed with: `appid`, `sp_appid`
 * in partner mode (`sub_appid` is the sub-merchant's own AppID, which the service provider
 * cannot declare), `combine_appid` for a combine payment.
 */
export function notificationAppidField(
  payload: Record<string, unknown>,
): 'appid' | 'sp_appid' | 'combine_appid' {
  if ('sp_appid' in payload) return 'sp_appid';
  return 'combine_appid' in payload ? 'combine_appid' : 'appid';
}

/**
 * The merchants a verified v3 notification may be for: the one that placed the order
 * ({@link notificationOwner}), and, for a profit-sharing notification (分账动账通知), the
 * merchant receiver it is sent to, since WeChat Pay notifies receivers of splits to them. Empty
 * when the payload names none.
 */
export function notificationMerchants(
  payload: Record<string, unknown>,
  eventType: string,
): string[] {
  const owners: string[] = [];
  const owner = notificationOwner(payload);
  if (typeof owner === 'string') owners.push(owner);
  // Only a profit-sharing event speaks for its receiver; any other event is its owner's alone.
  if (!eventType.startsWith('PROFITSHARING.')) return owners;
  const receiver = payload.receiver as { type?: unknown; account?: unknown } | undefined;
  if (receiver?.type === 'MERCHANT_ID' && typeof receiver.account === 'string') {
    owners.push(receiver.account);
  }
  return owners;
}

/**
 * Who the merchant is, for API v2 and v3 alike: the mode, the merchant number, the AppIDs it
 * places orders with, the sub-merchant of partner mode and the default notify URLs, each
 * overridable per call. The protocols only name the fields differently (`sub_mchid` in v3,
 * `sub_mch_id` in v2; `sp_appid` in v3 partner mode, `appid` in v2).
 */
export class MerchantIdentity {
  /** Every AppID the merchant declared: `appid` first, then `appids`. */
  readonly appids: readonly string[];

  constructor(private readonly config: MerchantIdentityConfig) {
    this.appids = acceptedAppids(config.appid, config.appids);
  }

  /** A service provider (服务商) acting for sub-merchants. */
  get partner(): boolean {
    return this.config.mode === 'partner';
  }

  /** The merchant number; the service provider's (`sp_mchid`) in partner mode. */
  get mchid(): string {
    return this.config.mchid;
  }

  /**
   * The AppID an order is placed with (`appid`; `sp_appid` in partner mode): the one given, else
   * the configured `appid`. Required.
   * @param field the field the caller named it by, for the error
   * @throws WechatPayValidationError when there is none, or the one given is not declared
   */
  orderAppid(given: string | undefined, what: string, field = 'appid'): string {
    const appid = this.requestAppid(given, what, field);
    if (appid === undefined) {
      throw new WechatPayValidationError(what, [
        { field, message: 'is required: pass it, or set appid in the module options' },
      ]);
    }
    return appid;
  }

  /**
   * The AppID of a request that may go without one: the one given, else the configured `appid`.
   * A given AppID the merchant did not declare is refused before anything is sent, since WeChat
   * Pay's notifications for it would be refused.
   * @throws WechatPayValidationError naming the `appids` option
   */
  requestAppid(given: string | undefined, what: string, field = 'appid'): string | undefined {
    if (given === undefined) return this.config.appid;
    if (this.appids.length > 0 && !this.appids.includes(given)) {
      throw new WechatPayValidationError(what, [
        {
          field,
          message: `is not one of this merchant's AppIDs (${this.appids.join(', ')}): add it to the appids option (${WECHATPAY_ENV.appids}), or its payment notifications would be refused`,
        },
      ]);
    }
    return given;
  }

  /**
   * Partner mode: the sub-merchant, given per call or the configured `subMchid`.
   * @param field the field the caller names it by (`sub_mchid`, `sub_mch_id`, `subMchid`)
   * @throws WechatPayValidationError when there is none
   */
  subMchid(given: string | undefined, what: string, field = 'sub_mchid'): string {
    const value = given ?? this.config.subMchid;
    if (!value) {
      throw new WechatPayValidationError(what, [
        {
          field,
          message: 'is required in partner mode: pass it, or set subMchid in the module options',
        },
      ]);
    }
    return value;
  }

  /**
   * 被诉商户号 of a complaint call: the one given; else the merchant itself, or in partner mode
   * the sub-merchant (given per call or the configured `subMchid`).
   * @throws WechatPayValidationError in partner mode when there is none
   */
  complaintedMchid(given: string | undefined, what: string): string {
    if (given !== undefined) return given;
    return this.partner ? this.subMchid(undefined, what, 'complainted_mchid') : this.mchid;
  }

  /** Partner mode: the sub-merchant's AppID, given per call or the configured `subAppid`. */
  subAppid(given: string | undefined): string | undefined {
    return this.partner ? (given ?? this.config.subAppid) : undefined;
  }

  /**
   * The `notify_url` of an order: the one given, else the configured `notifyUrl`. Required.
   * @throws WechatPayValidationError when there is none
   */
  notifyUrl(given: string | undefined, what: string): string {
    const url = given ?? this.config.notifyUrl;
    if (!url) {
      throw new WechatPayValidationError(what, [
        {
          field: 'notify_url',
          message: 'is required: pass it, or set notifyUrl in the module options',
        },
      ]);
    }
    return url;
  }

  /**
   * The `notify_url` of a transfer: the one given, else `transferNotifyUrl` (default `notifyUrl`).
   */
  transferNotifyUrl(given: string | undefined): string | undefined {
    return given ?? this.config.transferNotifyUrl;
  }

  /** The `notify_url` of a refund: the one given, else `refundNotifyUrl` (default `notifyUrl`). */
  refundNotifyUrl(given: string | undefined): string | undefined {
    return given ?? this.config.refundNotifyUrl;
  }

  /**
   * The AppID the payer's client pays with (JSAPI `appId`, App `appid`): the one given; in partner
   * mode the sub-merchant's AppID when there is one (WeChat Pay's 服务商 APP调起支付: "appid是子商户
   * 的应用APPID"); else `appid`.
   * @throws WechatPayValidationError when there is none
   */
  clientAppid(given: string | undefined): string {
    const appid = given ?? this.subAppid(undefined) ?? this.config.appid;
    if (!appid) {
      throw new WechatPayValidationError('client payment parameters', [
        { field: 'appId', message: 'is required: pass it, or set appid in the module options' },
      ]);
    }
    return appid;
  }

  /**
   * `partnerid` of App payment parameters: the merchant; in partner mode the sub-merchant (given
   * per call, else `subMchid`), never the service provider.
   * @throws WechatPayValidationError in partner mode without a sub-merchant
   */
  appPartnerid(givenSubMchid: string | undefined): string {
    return this.partner
      ? this.subMchid(givenSubMchid, 'App payment parameters', 'subMchid')
      : this.config.mchid;
  }
}

/** Per-call options of the order and refund methods. */
export interface SubMerchantOptions {
  /**
   * Partner mode: the sub-merchant.
   * @default the `subMchid` module option
   */
  subMchid?: string;
}
