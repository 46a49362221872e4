import { fromEnv, option } from '../option-declaration.js';
import {
  eachMatching,
  eachString,
  list,
  notEmpty,
  oneOf,
  pattern,
  string,
} from '../option-rules.js';

/** Ordinary merchant (直连商户) or service provider (服务商). */
export type WechatPayMode = 'merchant' | 'partner';

const DIGITS = /^\d+$/;
const URL = /^https?:\/\/\S+$/;

/** Who the merchant is, and where WeChat Pay sends its notifications. */
export const MERCHANT_OPTIONS = {
  /**
   * Merchant number (商户号); the service provider's own (`sp_mchid`) in partner mode. Required.
   * @example '1900000109'
   */
  mchid: option<string>()({
    env: fromEnv.text('WECHATPAY_MCHID'),
    required: true,
    copy: true,
    rules: [
      string('is required: the merchant number (商户号) as a string of digits'),
      pattern(
        DIGITS,
        'is required: the merchant number (商户号, digits only) shown in the merchant platform under 账户中心 → 商户信息',
      ),
    ],
  }),

  /**
   * AppID bound to the merchant (公众号, 小程序 or App; `sp_appid` in partner mode); the default of
   * every call.
   *
   * Required by the payment methods that need one; may be given per call instead.
   * @example 'wxd678efh567hg6787'
   */
  appid: option<string>()({
    env: fromEnv.text('WECHATPAY_APPID'),
    copy: true,
    rules: [
      string('must be a string: the AppID bound to the merchant'),
      notEmpty('must not be empty: the AppID bound to the merchant, or leave it out'),
    ],
  }),

  /**
   * The merchant's other AppIDs (comma-separated in the variable), accepted besides `appid`.
   *
   * 公众号, 小程序 and App bound to the same mchid (the service provider's in partner mode). An
   * order may name any of them per call; a notification for an AppID that is neither `appid` nor
   * listed here is refused, and so is a per-call AppID before anything is sent. Sub-merchant
   * AppIDs (`sub_appid`) are the sub-merchant's and are not listed here. With neither `appid` nor
   * `appids`, AppIDs are not checked.
   * @default []
   * @example ['wx1111111111111111', 'wx2222222222222222']
   */
  appids: option<readonly string[]>()({
    env: fromEnv.list('WECHATPAY_APPIDS'),
    default: [],
    rules: [
      list('must be a list of AppIDs, e.g. ["wx1111111111111111"]'),
      eachString('must be a list of AppIDs (strings)'),
      eachMatching(
        /^[^\s,]+$/,
        'must list AppIDs (公众号, 小程序 or App bound to the merchant), each without spaces or commas',
      ),
    ],
  }),

  /**
   * `merchant` (ordinary merchant, 直连商户) or `partner` (service provider, 服务商).
   *
   * A service provider calls on behalf of its sub-merchants (`/v3/pay/partner/...`).
   * @default 'merchant'
   */
  mode: option<WechatPayMode>()({
    env: fromEnv.oneOf<WechatPayMode>('WECHATPAY_MODE'),
    default: 'merchant',
    copy: true,
    rules: [oneOf(['merchant', 'partner'], "must be 'merchant' or 'partner'")],
  }),

  /** Default sub-merchant number in partner mode; each call may override it. */
  subMchid: option<string>()({
    env: fromEnv.text('WECHATPAY_SUB_MCHID'),
    copy: true,
    rules: [
      string('must be the sub-merchant number as a string'),
      pattern(DIGITS, 'must be the sub-merchant number (digits only)'),
    ],
  }),

  /** Default sub-merchant AppID in partner mode; each call may override it. */
  subAppid: option<string>()({
    env: fromEnv.text('WECHATPAY_SUB_APPID'),
    copy: true,
    rules: [
      string('must be a string: the sub-merchant AppID'),
      notEmpty('must not be empty: the sub-merchant AppID, or leave it out'),
    ],
  }),

  /**
   * Default `notify_url` of payments and refunds: an https URL WeChat Pay can reach.
   * @example 'https://shop.example.com/wechatpay/notify'
   */
  notifyUrl: option<string>()({
    env: fromEnv.text('WECHATPAY_NOTIFY_URL'),
    copy: true,
    rules: [
      string('must be an absolute URL string'),
      pattern(URL, 'must be an absolute URL WeChat Pay can reach'),
    ],
  }),

  /**
   * Default `notify_url` of refunds, when refund results go to their own handler.
   * @default `notifyUrl`
   * @example 'https://shop.example.com/wechatpay/refund-notify'
   */
  refundNotifyUrl: option<string>()({
    env: fromEnv.text('WECHATPAY_REFUND_NOTIFY_URL'),
    rules: [
      string('must be an absolute URL string'),
      pattern(URL, 'must be an absolute URL WeChat Pay can reach'),
    ],
  }),

  /**
   * Default `notify_url` of transfers (商家转账), when `MCHTRANSFER.BILL.FINISHED` goes to its
   * own handler; a route that filters `events` must list it, or the result is refused and lost.
   * @default `notifyUrl`
   * @example 'https://shop.example.com/wechatpay/transfer-notify'
   */
  transferNotifyUrl: option<string>()({
    env: fromEnv.text('WECHATPAY_TRANSFER_NOTIFY_URL'),
    rules: [
      string('must be an absolute URL string'),
      pattern(URL, 'must be an absolute URL WeChat Pay can reach'),
    ],
  }),
};
