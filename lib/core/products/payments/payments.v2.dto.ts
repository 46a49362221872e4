import {
  IsIn,
  IsInt,
  IsOptional,
  IsPositive,
  IsString,
  Length,
  Matches,
  ValidateIf,
} from 'class-validator';
import { DIGITS, IsOptionalAppid, IsOptionalNotifyUrl } from '../common.dto.js';
import { V2_FEN_MESSAGE, V2_OUT_TRADE_NO } from '../v2-common.dto.js';

/** Shared by unifiedorder and micropay. */
class V2OrderDto {
  /** 商品描述: what the payer sees on the bill, 1 to 128 characters. */
  @Length(1, 128, { message: 'must be 1 to 128 characters: what the payer sees on the bill' })
  @IsString({ message: 'is required: what the payer sees on the bill' })
  body!: string;

  /** 商户订单号: 1 to 32 of `A-Z a-z 0-9 _ - | * @`, unique per merchant. */
  @Matches(V2_OUT_TRADE_NO, {
    message: 'must be 1 to 32 letters, digits or _-|*@, unique within the merchant',
  })
  out_trade_no!: string;

  /** 标价金额: the order total in fen (分), a positive integer. */
  @IsPositive({ message: V2_FEN_MESSAGE })
  @IsInt({ message: V2_FEN_MESSAGE })
  total_fee!: number;

  /** 终端IP: the payer's IP address. */
  @IsString({ message: "is required: the payer's IP address (spbill_create_ip)" })
  spbill_create_ip!: string;

  /**
   * 公众账号ID: the AppID the order is placed with; must be one of the merchant's AppIDs.
   * @default the `appid` module option
   */
  @IsOptionalAppid()
  appid?: string;

  /**
   * Partner mode: 子商户号.
   * @default the `subMchid` module option
   */
  @IsOptional()
  @Matches(DIGITS, { message: 'must be the sub-merchant number' })
  sub_mch_id?: string;

  /**
   * Partner mode: 子商户公众账号ID.
   * @default the `subAppid` module option
   */
  @IsOptionalAppid()
  sub_appid?: string;
}

/** A unifiedorder request (统一下单): JSAPI, NATIVE, APP and MWEB (H5) orders. */
export class UnifiedOrderDto extends V2OrderDto {
  /** 交易类型: `JSAPI` (also mini programs), `NATIVE`, `APP` or `MWEB` (H5). */
  @IsIn(['JSAPI', 'NATIVE', 'APP', 'MWEB'], { message: 'must be JSAPI, NATIVE, APP or MWEB' })
  trade_type!: 'JSAPI' | 'NATIVE' | 'APP' | 'MWEB';

  /** 用户标识: the payer's openid under `appid`; required for JSAPI unless `sub_openid` is given. */
  @ValidateIf((o: UnifiedOrderDto) => o.trade_type === 'JSAPI' && o.sub_openid === undefined)
  @IsString({ message: "is required for JSAPI: the payer's openid (or sub_openid)" })
  openid?: string;

  /** Partner mode: 用户子标识, the payer's openid under `sub_appid`. */
  @IsOptional()
  @IsString({ message: 'must be a string' })
  sub_openid?: string;

  /**
   * 通知地址: where the payment notification goes; absolute, no query string.
   * @default the `notifyUrl` module option (one of the two is required)
   */
  @IsOptionalNotifyUrl()
  notify_url?: string;
}

/** A micropay request (付款码支付): charges a code scanned from the payer's WeChat. */
export class MicropayDto extends V2OrderDto {
  /** 付款码: the 18 digits scanned from the payer's WeChat. */
  @Matches(/^\d{18}$/, { message: "must be the 18-digit code scanned from the payer's WeChat" })
  auth_code!: string;
}

/** An order, named by the merchant's number or WeChat Pay's. */
export class V2OrderRefDto {
  /** 商户订单号; required unless `transaction_id` is given. */
  @ValidateIf((o: V2OrderRefDto) => o.transaction_id === undefined)
  @Matches(V2_OUT_TRADE_NO, { message: 'is required unless transaction_id is given' })
  out_trade_no?: string;

  /** 微信订单号: WeChat Pay's number of the order; preferred when both are given. */
  @IsOptional()
  @IsString({ message: "must be WeChat Pay's transaction id" })
  transaction_id?: string;

  /**
   * Partner mode: 子商户号.
   * @default the `subMchid` module option
   */
  @IsOptional()
  @Matches(DIGITS, { message: 'must be the sub-merchant number' })
  sub_mch_id?: string;
}
