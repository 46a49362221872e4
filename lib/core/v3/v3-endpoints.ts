import type { WechatPayConfig } from '../config/resolve-config.js';
import { WechatPayValidationError } from '../errors.js';

/** The four prepay channels of API v3. */
export type PrepayChannel = 'jsapi' | 'app' | 'h5' | 'native';

/** A segment of a path, escaped the way it is signed and sent. */
export const segment = (value: string): string => encodeURIComponent(value);

/**
 * Paths and bodies of the payment endpoints for ordinary merchants (`/v3/pay/transactions/…`)
 * and for service providers (`/v3/pay/partner/transactions/…`, `sp_`/`sub_` fields).
 */
export class V3Endpoints {
  constructor(private readonly config: WechatPayConfig) {}

  get partner(): boolean {
    return this.config.mode === 'partner';
  }

  prepayPath(channel: PrepayChannel): string {
    return `/v3/pay/${this.partner ? 'partner/' : ''}transactions/${channel}`;
  }

  /**
   * The prepay body: the caller's fields with the merchant identity and defaults filled in.
   * Fields WeChat Pay adds later pass through untouched.
   */
  prepayBody(
    order: Record<string, unknown> & { notify_url?: string },
    what: string,
  ): Record<string, unknown> {
    const { appid, sub_appid, sub_mchid, ...rest } = order as Record<string, string | undefined>;
    const notifyUrl = order.notify_url ?? this.config.notifyUrl;
    if (!notifyUrl) {
      throw new WechatPayValidationError(what, [
        {
          field: 'notify_url',
          message: 'is required: pass it, or set notifyUrl in the module options',
        },
      ]);
    }
    if (!this.partner) {
      return {
        ...rest,
        appid: this.requireAppid(appid, what),
        mchid: this.config.mchid,
        notify_url: notifyUrl,
      };
    }
    return {
      ...rest,
      sp_appid: this.requireAppid(appid, what),
      sp_mchid: this.config.mchid,
      sub_mchid: this.subMchid(sub_mchid, what),
      ...((sub_appid ?? this.config.subAppid)
        ? { sub_appid: sub_appid ?? this.config.subAppid }
        : {}),
      notify_url: notifyUrl,
    };
  }

  orderByOutTradeNoPath(outTradeNo: string): string {
    return `/v3/pay/${this.partner ? 'partner/' : ''}transactions/out-trade-no/${segment(outTradeNo)}`;
  }

  orderByIdPath(transactionId: string): string {
    return `/v3/pay/${this.partner ? 'partner/' : ''}transactions/id/${segment(transactionId)}`;
  }

  /** Who is asking, as query parameters of order queries. */
  merchantQuery(subMchid: string | undefined, what: string): Record<string, string> {
    return this.partner
      ? { sp_mchid: this.config.mchid, sub_mchid: this.subMchid(subMchid, what) }
      : { mchid: this.config.mchid };
  }

  /** Who is asking, as the body of a close request. */
  merchantBody(subMchid: string | undefined, what: string): Record<string, string> {
    return this.merchantQuery(subMchid, what);
  }

  /** Refunds share one path in both modes; partners name the sub-merchant in the body. */
  refundBody(refund: Record<string, unknown>, what: string): Record<string, unknown> {
    const { sub_mchid, ...rest } = refund as Record<string, unknown> & { sub_mchid?: string };
    const notifyUrl = (refund.notify_url as string | undefined) ?? this.config.refundNotifyUrl;
    return {
      ...rest,
      ...(this.partner ? { sub_mchid: this.subMchid(sub_mchid, what) } : {}),
      ...(notifyUrl ? { notify_url: notifyUrl } : {}),
    };
  }

  /** `sub_mchid` query of refund queries and trade bills in partner mode. */
  subMchidQuery(subMchid: string | undefined, what: string): Record<string, string> {
    return this.partner ? { sub_mchid: this.subMchid(subMchid, what) } : {};
  }

  private requireAppid(appid: string | undefined, what: string): string {
    const value = appid ?? this.config.appid;
    if (!value) {
      throw new WechatPayValidationError(what, [
        { field: 'appid', message: 'is required: pass it, or set appid in the module options' },
      ]);
    }
    return value;
  }

  private subMchid(subMchid: string | undefined, what: string): string {
    const value = subMchid ?? this.config.subMchid;
    if (!value) {
      throw new WechatPayValidationError(what, [
        {
          field: 'sub_mchid',
          message: 'is required in partner mode: pass it, or set subMchid in the module options',
        },
      ]);
    }
    return value;
  }
}
