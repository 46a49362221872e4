import { IsIP, IsString, Length, Matches } from 'class-validator';
import { OrderBaseDto, OutTradeNoDto } from '../payments/payments.dto.js';
import { OptionalNested, RequiredNested } from '../common.dto.js';

/** 付款码: the 18 digits scanned from the payer's WeChat (10–15 prefix, checked by WeChat Pay). */
export const AUTH_CODE = /^\d{18}$/;
/** The message of every payment code that is not 18 digits. */
export const AUTH_CODE_MESSAGE = "must be the 18-digit code scanned from the payer's WeChat";

/** 支付者 of a code payment: the code the payer showed. */
export class CodepayPayerDto {
  /** 付款码: the 18 digits scanned from the payer's WeChat; each code pays once. */
  @Matches(AUTH_CODE, { message: AUTH_CODE_MESSAGE })
  auth_code!: string;
}

/** 商户门店信息 of a code payment. */
export class CodepayStoreInfoDto {
  /** 商户侧门店编号: the merchant's own number of the store, up to 32 characters. */
  @Length(1, 32, { message: "must be the merchant's store number, 1 to 32 characters" })
  @IsString({ message: "is required: the merchant's store number" })
  out_id!: string;
}

/** 场景信息 of a code payment: the till and its store. */
export class CodepaySceneInfoDto {
  /** 商户端设备 IP: the IP address of the till that scanned the code (IPv4 or IPv6). */
  @IsIP(undefined, { message: 'is required: the IP address of the till that scanned the code' })
  device_ip!: string;

  /** 商户门店信息: `{ out_id }`, the merchant's number of the store. */
  @OptionalNested(() => CodepayStoreInfoDto)
  store_info?: CodepayStoreInfoDto;
}

/** A code payment (付款码支付) request of API v3. */
export class CodepayDto extends OrderBaseDto {
  /** 商户订单号: a new number for every scanned code (a new code needs a new order number). */
  @Matches(/^[A-Za-z0-9_\-*]{6,32}$/, {
    message: 'must be 6 to 32 letters, digits or _-* and unique within the merchant',
  })
  out_trade_no!: string;

  /** 支付者: `{ auth_code }`, the code scanned from the payer's WeChat. */
  @RequiredNested(
    () => CodepayPayerDto,
    "is required: { auth_code }, the code scanned from the payer's WeChat",
  )
  payer!: CodepayPayerDto;

  /** 场景信息: `{ device_ip, store_info? }`, the till that scanned the code. */
  @RequiredNested(
    () => CodepaySceneInfoDto,
    'is required: { device_ip }, the IP address of the till',
  )
  scene_info!: CodepaySceneInfoDto;
}

/** A code payment to reverse (撤销), by the merchant's order number. */
export class CodepayReverseDto extends OutTradeNoDto {}
