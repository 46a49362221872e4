import type { MerchantIdentity } from '../merchant/merchant-identity.js';

/** The four prepay channels of API v3. */
export type PrepayChannel = 'jsapi' | 'app' | 'h5' | 'native';

/** A segment of a path, escaped the way it is signed and sent. */
export const segment = (value: string): string => encodeURIComponent(value);

/**
 * Paths and bodies of the payment endpoints for ordinary merchants (`/v3/pay/transactions/…`)
 * and for service providers (`/v3/pay/partner/transactions/…`, `sp_`/`sub_` fields). Who the
 * merchant is, and what a call may override, is the {@link MerchantIdentity}'s to say.
 */
export class V3Endpoints {
  constructor(private readonly merchant: MerchantIdentity) {}

  get partner(): boolean {
    return this.merchant.partner;
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
    const { appid, sp_appid, sub_appid, sub_mchid, ...rest } = order as Record<string, unknown> &
      Partial<Record<'appid' | 'sp_appid' | 'sub_appid' | 'sub_mchid', string>>;
    const notifyUrl = this.merchant.notifyUrl(order.notify_url, what);
    if (!this.partner) {
      return {
        ...rest,
        appid: this.merchant.orderAppid(appid, what),
        mchid: this.merchant.mchid,
        notify_url: notifyUrl,
      };
    }
    // Partner orders name the service provider's AppID `sp_appid`; `appid` is taken for it too.
    const subAppid = this.merchant.subAppid(sub_appid);
    return {
      ...rest,
      sp_appid: this.merchant.orderAppid(
        sp_appid ?? appid,
        what,
        sp_appid === undefined ? 'appid' : 'sp_appid',
      ),
      sp_mchid: this.merchant.mchid,
      sub_mchid: this.merchant.subMchid(sub_mchid, what),
      ...(subAppid ? { sub_appid: subAppid } : {}),
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
      ? { sp_mchid: this.merchant.mchid, sub_mchid: this.merchant.subMchid(subMchid, what) }
      : { mchid: this.merchant.mchid };
  }

  /** Who is asking, as the body of a close request. */
  merchantBody(subMchid: string | undefined, what: string): Record<string, string> {
    return this.merchantQuery(subMchid, what);
  }

  /** Refunds share one path in both modes; partners name the sub-merchant in the body. */
  refundBody(refund: Record<string, unknown>, what: string): Record<string, unknown> {
    const { sub_mchid, ...rest } = refund as Record<string, unknown> & { sub_mchid?: string };
    const notifyUrl = this.merchant.refundNotifyUrl(refund.notify_url as string | undefined);
    return {
      ...rest,
      ...(this.partner ? { sub_mchid: this.merchant.subMchid(sub_mchid, what) } : {}),
      ...(notifyUrl ? { notify_url: notifyUrl } : {}),
    };
  }

  /** `sub_mchid` query of refund queries and trade bills in partner mode. */
  subMchidQuery(subMchid: string | undefined, what: string): Record<string, string> {
    return this.partner ? { sub_mchid: this.merchant.subMchid(subMchid, what) } : {};
  }
}
