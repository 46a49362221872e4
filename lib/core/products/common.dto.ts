// class-transformer's @Type reads decorator metadata; core must work without Nest loading it first.
import 'reflect-metadata';
import { IsOptional, Matches } from 'class-validator';

/** Merchant order numbers: 6–32 of letters, digits, `_ - | *`. */
export const OUT_TRADE_NO = /^[A-Za-z0-9_\-|*]{6,32}$/;
/** Merchant refund numbers: 1–64 of letters, digits, `_ - | * @`. */
export const OUT_REFUND_NO = /^[A-Za-z0-9_\-|*@]{1,64}$/;
/** An absolute http(s) URL, as `notify_url` must be. */
export const HTTP_URL = /^https?:\/\/\S+$/;
/** An RFC 3339 time with an offset, as `time_expire` must be. */
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;
/** Digits only, as merchant numbers are. */
export const DIGITS = /^\d+$/;

/** The message of every amount in fen that is not a positive whole number. */
export const FEN_MESSAGE =
  'must be a positive whole number of fen (分): 100 means ¥1.00, so convert yuan with Math.round(yuan * 100)';

/** Partner-mode sub-merchant override on any call. */
export class SubMerchantDto {
  /**
   * Partner mode: 子商户号, the sub-merchant the call is for, issued by WeChat Pay.
   * @default the `subMchid` module option
   */
  @IsOptional()
  @Matches(DIGITS, { message: 'must be the sub-merchant number (digits only)' })
  sub_mchid?: string;
}
