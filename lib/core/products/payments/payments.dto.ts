import {
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import {
  IsFen,
  IsNewOutTradeNo,
  IsOptionalAppid,
  IsOptionalCny,
  IsOptionalNotifyUrl,
  IsOptionalTime,
  IsOrderDescription,
  OptionalNested,
  OUT_TRADE_NO,
  RequiredNested,
  SubMerchantDto,
} from '../common.dto.js';

/** 订单金额: the amount of an order. */
export class AmountDto {
  /** 总金额: the order total in fen (分), a positive integer: 100 is ¥1.00. */
  @IsFen()
  total!: number;

  /**
   * 货币类型: the currency; domestic merchants can only charge CNY.
   * @default 'CNY'
   */
  @IsOptionalCny()
  currency?: string;
}

/** 支付者: who pays a JSAPI / mini program order. */
export class PayerDto {
  /** 用户标识: the payer's openid under `appid` (ordinary merchants). */
  @ValidateIf((payer: PayerDto) => payer.sp_openid === undefined && payer.sub_openid === undefined)
  @IsString({
    message: "is required: the payer's openid under appid (partner mode: sp_openid or sub_openid)",
  })
  openid?: string;

  /** Partner mode: the payer's openid under the service provider's `sp_appid`. */
  @IsOptional()
  @IsString({ message: "must be the payer's openid under sp_appid" })
  sp_openid?: string;

  /** Partner mode: the payer's openid under the sub-merchant's `sub_appid`. */
  @IsOptional()
  @IsString({ message: "must be the payer's openid under sub_appid" })
  sub_openid?: string;
}

/** H5 场景信息: where an H5 payment starts. */
export class H5InfoDto {
  /** 场景类型: `iOS`, `Android` or `Wap`. */
  @IsString({ message: 'is required for H5: iOS, Android or Wap' })
  type!: string;
}

/** 场景信息: where the payer is. */
export class SceneInfoDto {
  /** 用户终端IP: the payer's IP address (IPv4 or IPv6). */
  @IsOptional()
  @IsString({ message: "must be the payer's IP address" })
  payer_client_ip?: string;

  /** H5 场景信息; only H5 orders need it. */
  @OptionalNested(() => H5InfoDto)
  h5_info?: H5InfoDto;
}

/** 结算信息 of an order. */
export class SettleInfoDto {
  /**
   * 是否指定分账: `true` to split the payment later (分账); its amount stays frozen until split
   * or unfrozen.
   * @default false
   */
  @IsOptional()
  @IsBoolean({ message: 'must be true (split it later) or false' })
  profit_sharing?: boolean;
}
/**
 * Fields every order has, whatever the channel (prepay, code payment): what it is, how much,
 * with which AppID. Each request adds its own order number rule and channel fields.
 */
export class OrderBaseDto extends SubMerchantDto {
  /** 商品描述: what the payer sees on the bill, 1 to 127 characters. */
  @IsOrderDescription()
  description!: string;

  /** 订单金额: `{ total }` in fen. */
  @RequiredNested(() => AmountDto, 'is required: { total } in fen')
  amount!: AmountDto;

  /** 附加数据: up to 128 characters returned as-is by queries (and notifications). */
  @IsOptional()
  @MaxLength(128, { message: 'must be at most 128 characters' })
  @IsString({ message: 'must be a string' })
  attach?: string;

  /** 订单优惠标记: the goods tag that coupons and instant discounts match on. */
  @IsOptional()
  @IsString({ message: 'must be a string' })
  goods_tag?: string;

  /**
   * 应用ID: the AppID the order is placed with (`sp_appid` in partner mode, which may also be
   * given as `sp_appid`); must be one of the merchant's AppIDs.
   * @default the `appid` module option
   */
  @IsOptionalAppid()
  appid?: string;

  /**
   * Partner mode: 子商户应用ID, the sub-merchant's AppID.
   * @default the `subAppid` module option
   */
  @IsOptionalAppid()
  sub_appid?: string;
}

/** Fields shared by every prepay request (JSAPI, App, H5, Native). */
class PrepayBaseDto extends OrderBaseDto {
  /** 商户订单号: the merchant's order number, 6 to 32 of `A-Z a-z 0-9 _ - | *`, unique per merchant. */
  @IsNewOutTradeNo()
  out_trade_no!: string;

  /**
   * 通知地址: where WeChat Pay sends the payment notification; absolute, no query string.
   * @default the `notifyUrl` module option (one of the two is required)
   */
  @IsOptionalNotifyUrl()
  notify_url?: string;

  /** 交易结束时间: the last moment the payer can pay, RFC 3339, e.g. `2026-06-08T10:34:56+08:00`. */
  @IsOptionalTime()
  time_expire?: string;

  /** 电子发票入口开放标识: `true` shows an e-invoice entry after payment (needs the fapiao feature). */
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  support_fapiao?: boolean;

  /** 优惠功能: `{ cost_price, invoice_id, goods_detail }`, passed through as given. */
  @IsOptional()
  @IsObject({ message: 'must be an object' })
  detail?: object;

  /**
   * 结算信息: `{ profit_sharing: true }` keeps the payment frozen until it is split with
   * `wechatPay.profitSharing` or unfrozen (分账); without it the payment cannot be split.
   */
  @OptionalNested(() => SettleInfoDto)
  settle_info?: SettleInfoDto;
}

/** A Native or App prepay request. */
export class PrepayDto extends PrepayBaseDto {
  /** 场景信息: the payer's IP, device and store. */
  @OptionalNested(() => SceneInfoDto)
  scene_info?: SceneInfoDto;
}

/** A JSAPI / mini program prepay request: `payer` is required. */
export class JsapiPrepayDto extends PrepayDto {
  /** 支付者: `{ openid }`; partner mode `{ sp_openid }` or `{ sub_openid }`. */
  @RequiredNested(
    () => PayerDto,
    'is required for JSAPI: { openid } (partner mode: { sp_openid } or { sub_openid })',
  )
  payer!: PayerDto;
}

/** 场景信息 of an H5 order, where both fields are required. */
export class H5SceneInfoDto {
  /** 用户终端IP: the payer's IP address. */
  @IsString({ message: "is required for H5: the payer's IP address" })
  payer_client_ip!: string;

  /** H5 场景信息: `{ type: 'Wap' | 'iOS' | 'Android' }`. */
  @RequiredNested(() => H5InfoDto, 'is required for H5: { type: "Wap" | "iOS" | "Android" }')
  h5_info!: H5InfoDto;
}

/** An H5 prepay request: `scene_info` with the payer's IP and `h5_info.type` is required. */
export class H5PrepayDto extends PrepayBaseDto {
  /** 场景信息: `{ payer_client_ip, h5_info: { type } }`. */
  @RequiredNested(
    () => H5SceneInfoDto,
    'is required for H5: { payer_client_ip, h5_info: { type } }',
  )
  scene_info!: H5SceneInfoDto;
}

/** An order named by the merchant's order number (queries and close). */
export class OutTradeNoDto {
  /** 商户订单号: the merchant's order number. */
  @Matches(OUT_TRADE_NO, { message: 'must be the 6 to 32 character merchant order number' })
  out_trade_no!: string;
}
