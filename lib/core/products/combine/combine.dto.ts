import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  DIGITS,
  IsFen,
  IsNewOutTradeNo,
  IsOptionalAppid,
  IsOptionalCny,
  IsOptionalNotifyUrl,
  IsOptionalSubMchid,
  IsOptionalTime,
  IsOrderDescription,
  OptionalNested,
  OUT_TRADE_NO,
  RequiredNested,
} from '../common.dto.js';
import { H5InfoDto } from '../payments/payments.dto.js';

// Field rules: https://pay.weixin.qq.com/docs/merchant/products/combine-payment/apilist-jsapi.html
// and the partner pages beside it (sub-orders, amounts, payer, scene).

/** 子单金额信息: the amount of one sub-order. */
export class CombineAmountDto {
  /** 标价金额: the sub-order's amount in fen (分), a positive integer: 100 is ¥1.00. */
  @IsFen()
  total_amount!: number;

  /**
   * 标价币种: domestic merchants can only charge CNY.
   * @default 'CNY'
   */
  @IsOptionalCny()
  currency?: string;
}

/** 结算信息 of a sub-order. */
export class CombineSettleInfoDto {
  /** 是否指定分账: `true` freezes the funds for profit sharing. */
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  profit_sharing?: boolean;

  /** 补差金额 in fen; only with `profit_sharing: true`. */
  @IsOptional()
  @Min(0, { message: 'must be a whole number of fen, 0 or more' })
  @IsInt({ message: 'must be a whole number of fen, 0 or more' })
  subsidy_amount?: number;
}

/** 子单信息: one sub-order of a combine order, an ordinary order of its merchant. */
export class CombineSubOrderDto {
  /**
   * 子单商户号: the merchant the sub-order pays. Partner mode: the service provider itself
   * (the sub-merchant goes in `sub_mchid`). Ordinary merchants may name another merchant bound
   * to `combine_appid`.
   * @default the `mchid` module option
   */
  @IsOptional()
  @Matches(DIGITS, { message: 'must be a merchant number (digits only)' })
  mchid?: string;

  /** 附加数据: 1 to 128 characters returned as-is by the query and the notification. */
  @Length(1, 128, { message: 'is required: 1 to 128 characters returned with the payment' })
  @IsString({ message: 'is required: 1 to 128 characters returned with the payment' })
  attach!: string;

  /** 子单金额信息: `{ total_amount }` in fen. */
  @RequiredNested(() => CombineAmountDto, 'is required: { total_amount } in fen')
  amount!: CombineAmountDto;

  /** 子单商户订单号: 6 to 32 of `A-Z a-z 0-9 _ - | *`, unique within the merchant. */
  @IsNewOutTradeNo()
  out_trade_no!: string;

  /** 商品描述: what the payer sees on the bill, 1 to 127 characters. */
  @IsOrderDescription()
  description!: string;

  /**
   * Partner mode: 子商户号, the sub-merchant paid by this sub-order.
   * @default the `subMchid` module option
   */
  @IsOptionalSubMchid()
  sub_mchid?: string;

  /**
   * Partner mode: 子商户应用ID, required with the payer's `sub_openid`.
   * @default the `subAppid` module option
   */
  @IsOptionalAppid()
  sub_appid?: string;

  /** 订单优惠标记: the goods tag coupons match on. */
  @IsOptional()
  @MaxLength(32, { message: 'must be at most 32 characters' })
  @IsString({ message: 'must be a string' })
  goods_tag?: string;

  /** 商品详情: up to 6000 characters. */
  @IsOptional()
  @MaxLength(6000, { message: 'must be at most 6000 characters' })
  @IsString({ message: 'must be a string' })
  detail?: string;

  /** 结算信息: `{ profit_sharing, subsidy_amount }`. */
  @OptionalNested(() => CombineSettleInfoDto)
  settle_info?: CombineSettleInfoDto;
}

/** 场景信息 of a combine order. */
export class CombineSceneInfoDto {
  /** 商户端设备号: the till or store, up to 16 characters. */
  @IsOptional()
  @MaxLength(16, { message: 'must be at most 16 characters' })
  @IsString({ message: 'must be a string' })
  device_id?: string;

  /** 用户终端IP: the payer's IP address (IPv4 or IPv6); required whenever `scene_info` is sent. */
  @IsString({ message: "is required in scene_info: the payer's IP address" })
  payer_client_ip!: string;

  /** H5 场景信息: `{ type }`; H5 orders only. */
  @OptionalNested(() => H5InfoDto)
  h5_info?: H5InfoDto;
}

/** 合单支付者: who pays a combine JSAPI / mini program order. */
export class CombinePayerInfoDto {
  /** 用户标识: the payer's openid under `combine_appid`. */
  @ValidateIf((payer: CombinePayerInfoDto) => payer.sub_openid === undefined)
  @IsString({
    message: "is required: the payer's openid under combine_appid (partner mode: or sub_openid)",
  })
  openid?: string;

  /** Partner mode: the payer's openid under the sub-merchant's `sub_appid`. */
  @IsOptional()
  @IsString({ message: "must be the payer's openid under sub_appid" })
  sub_openid?: string;
}

/** Fields shared by every combine prepay request. */
class CombinePrepayBaseDto {
  /** 合单商户订单号: 6 to 32 of `A-Z a-z 0-9 _ - | *`, unique within the merchant. */
  @IsNewOutTradeNo()
  combine_out_trade_no!: string;

  /**
   * 合单商户AppID: the AppID the combine order is placed with; one of the merchant's AppIDs.
   * @default the `appid` module option
   */
  @IsOptionalAppid()
  combine_appid?: string;

  /**
   * 合单商户号: the merchant placing the order (the service provider in partner mode); it must
   * be the configured `mchid`, which signs the request.
   * @default the `mchid` module option
   */
  @IsOptional()
  @Matches(DIGITS, { message: 'must be the merchant number (digits only)' })
  combine_mchid?: string;

  /** 子单信息: 2 to 10 sub-orders (partner mode: 1 to 50). */
  @IsArray({ message: 'is required: the sub-orders, each { out_trade_no, amount, … }' })
  @ArrayMinSize(1, { message: 'must hold at least one sub-order' })
  @ArrayMaxSize(50, { message: 'must hold at most 50 sub-orders' })
  @ValidateNested({ each: true })
  @Type(() => CombineSubOrderDto)
  sub_orders!: CombineSubOrderDto[];

  /** 交易起始时间, RFC 3339. */
  @IsOptionalTime()
  time_start?: string;

  /** 交易结束时间: the last moment the payer can pay, RFC 3339. */
  @IsOptionalTime()
  time_expire?: string;

  /**
   * 通知地址: where the combine payment notification goes; absolute, no query string.
   * @default the `notifyUrl` module option (one of the two is required)
   */
  @IsOptionalNotifyUrl()
  notify_url?: string;
}

/** A combine App or Native prepay request. */
export class CombineAppPrepayDto extends CombinePrepayBaseDto {
  /** 场景信息: `{ payer_client_ip, device_id }`. */
  @OptionalNested(() => CombineSceneInfoDto)
  scene_info?: CombineSceneInfoDto;

  /** 合单支付者, optional outside JSAPI. */
  @OptionalNested(() => CombinePayerInfoDto)
  combine_payer_info?: CombinePayerInfoDto;
}

/** A combine JSAPI / mini program prepay request: `combine_payer_info` is required. */
export class CombineJsapiPrepayDto extends CombinePrepayBaseDto {
  /** 场景信息: `{ payer_client_ip, device_id }`. */
  @OptionalNested(() => CombineSceneInfoDto)
  scene_info?: CombineSceneInfoDto;

  /** 合单支付者: `{ openid }` (partner mode: or `{ sub_openid }` with the sub-orders' `sub_appid`). */
  @RequiredNested(
    () => CombinePayerInfoDto,
    'is required for JSAPI: { openid } of the payer under combine_appid',
  )
  combine_payer_info!: CombinePayerInfoDto;
}

/** 场景信息 of a combine H5 order: the payer's IP and `h5_info.type` are required. */
export class CombineH5SceneInfoDto {
  /** 商户端设备号: the till or store, up to 16 characters. */
  @IsOptional()
  @MaxLength(16, { message: 'must be at most 16 characters' })
  @IsString({ message: 'must be a string' })
  device_id?: string;

  /** 用户终端IP: the payer's IP address. */
  @IsString({ message: "is required for H5: the payer's IP address" })
  payer_client_ip!: string;

  /** H5 场景信息: `{ type: 'Wap' | 'iOS' | 'Android' }`. */
  @RequiredNested(() => H5InfoDto, 'is required for H5: { type: "Wap" | "iOS" | "Android" }')
  h5_info!: H5InfoDto;
}

/** A combine H5 prepay request. */
export class CombineH5PrepayDto extends CombinePrepayBaseDto {
  /** 场景信息: `{ payer_client_ip, h5_info: { type } }`. */
  @RequiredNested(
    () => CombineH5SceneInfoDto,
    'is required for H5: { payer_client_ip, h5_info: { type } }',
  )
  scene_info!: CombineH5SceneInfoDto;

  /** 合单支付者, optional outside JSAPI. */
  @OptionalNested(() => CombinePayerInfoDto)
  combine_payer_info?: CombinePayerInfoDto;
}

/** A sub-order named to close it. */
export class CombineCloseSubOrderDto {
  /**
   * 子单商户号 (partner mode: the service provider).
   * @default the `mchid` module option
   */
  @IsOptional()
  @Matches(DIGITS, { message: 'must be a merchant number (digits only)' })
  mchid?: string;

  /** 子单商户订单号. */
  @Matches(OUT_TRADE_NO, { message: 'must be the 6 to 32 character sub-order number' })
  out_trade_no!: string;

  /**
   * Partner mode: 子商户号.
   * @default the `subMchid` module option
   */
  @IsOptionalSubMchid()
  sub_mchid?: string;

  /**
   * Partner mode: 子商户应用ID.
   * @default the `subAppid` module option
   */
  @IsOptionalAppid()
  sub_appid?: string;
}

/** 关闭合单订单: the sub-orders of the combine order, every one of them. */
export class CombineCloseDto {
  /**
   * 合单商户AppID.
   * @default the `appid` module option
   */
  @IsOptionalAppid()
  combine_appid?: string;

  /** 子单信息: every sub-order of the combine order. */
  @IsArray({ message: 'is required: every sub-order, each { out_trade_no }' })
  @ArrayMinSize(1, { message: 'must hold at least one sub-order' })
  @ArrayMaxSize(50, { message: 'must hold at most 50 sub-orders' })
  @ValidateNested({ each: true })
  @Type(() => CombineCloseSubOrderDto)
  sub_orders!: CombineCloseSubOrderDto[];
}

/** A combine order named by its number (query and close). */
export class CombineOutTradeNoDto {
  /** 合单商户订单号. */
  @Matches(OUT_TRADE_NO, { message: 'must be the 6 to 32 character combine order number' })
  combine_out_trade_no!: string;
}
