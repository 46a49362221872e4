// class-transformer's @Type reads decorator metadata; core must work without Nest loading it first.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsPositive,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { composeRules } from '../validation/compose-rules.js';

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

// Field rules many DTOs share: each stands for the decorator stack it replaces, messages and all.

/** An amount in fen (分): a positive whole number. */
export const IsFen = () =>
  composeRules(IsPositive({ message: FEN_MESSAGE }), IsInt({ message: FEN_MESSAGE }));

/** An optional currency, which can only be CNY for domestic merchants. */
export const IsOptionalCny = (message = 'must be CNY for domestic payments') =>
  composeRules(IsOptional(), IsIn(['CNY'], { message }));

/** An optional AppID (`appid`, `sub_appid`, `combine_appid`, …). */
export const IsOptionalAppid = () =>
  composeRules(IsOptional(), IsString({ message: 'must be an AppID' }));

/** An optional partner-mode sub-merchant number (子商户号). */
export const IsOptionalSubMchid = () =>
  composeRules(
    IsOptional(),
    Matches(DIGITS, { message: 'must be the sub-merchant number (digits only)' }),
  );

/** An optional `notify_url`: absolute, so that WeChat Pay can reach it. */
export const IsOptionalNotifyUrl = () =>
  composeRules(
    IsOptional(),
    Matches(HTTP_URL, { message: 'must be an absolute URL WeChat Pay can reach' }),
  );

/** An optional RFC 3339 time with an offset (`time_start`, `time_expire`). */
export const IsOptionalTime = () =>
  composeRules(
    IsOptional(),
    Matches(RFC3339, {
      message: 'must be RFC 3339 with an offset, e.g. 2026-06-08T10:34:56+08:00',
    }),
  );

/** The number of a new order (商户订单号), which must be unique within the merchant. */
export const IsNewOutTradeNo = () =>
  Matches(OUT_TRADE_NO, {
    message: 'must be 6 to 32 letters, digits or _-|* and unique within the merchant',
  });

/** 商品描述 of an API v3 order: what the payer sees on the bill, 1 to 127 characters. */
export const IsOrderDescription = () =>
  composeRules(
    Length(1, 127, { message: 'must be 1 to 127 characters: what the payer sees on the bill' }),
    IsString({ message: 'is required: what the payer sees on the bill' }),
  );

/** An optional nested object, checked against the DTO `type` returns. */
export const OptionalNested = (type: () => new () => object) =>
  composeRules(IsOptional(), ValidateNested(), Type(type));

/** A required nested object, checked against the DTO `type` returns; `message` says what it holds. */
export const RequiredNested = (type: () => new () => object, message: string) =>
  composeRules(IsDefined({ message }), ValidateNested(), Type(type));

/** Partner-mode sub-merchant override on any call. */
export class SubMerchantDto {
  /**
   * Partner mode: 子商户号, the sub-merchant the call is for, issued by WeChat Pay.
   * @default the `subMchid` module option
   */
  @IsOptionalSubMchid()
  sub_mchid?: string;
}
