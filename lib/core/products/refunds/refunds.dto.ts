import {
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import {
  IsFen,
  IsOptionalCny,
  IsOptionalNotifyUrl,
  OUT_REFUND_NO,
  OUT_TRADE_NO,
  RequiredNested,
  SubMerchantDto,
} from '../common.dto.js';

/** 金额信息 of a refund request. */
export class RefundAmountDto {
  /** 退款金额: how much to refund, in fen; at most `total`. */
  @IsFen()
  refund!: number;

  /** 原订单金额: the total of the original order, in fen. */
  @IsFen()
  total!: number;

  /**
   * 退款币种: ISO 4217; only CNY.
   * @default 'CNY'
   */
  @IsOptionalCny('must be CNY for domestic refunds')
  currency?: string;
}

/** A refund request (申请退款): the order by one of its two numbers, and the refund's own number. */
export class RefundDto extends SubMerchantDto {
  /** 微信支付订单号: WeChat Pay's number of the order; give it or `out_trade_no`. */
  @ValidateIf((o: RefundDto) => o.out_trade_no === undefined)
  @IsString({ message: 'is required unless out_trade_no is given' })
  transaction_id?: string;

  /** 商户订单号: the merchant's number of the order; give it or `transaction_id`. */
  @ValidateIf((o: RefundDto) => o.transaction_id === undefined || o.out_trade_no !== undefined)
  @Matches(OUT_TRADE_NO, {
    message: 'must be the 6 to 32 character merchant order number (or give transaction_id)',
  })
  out_trade_no?: string;

  /**
   * 商户退款单号: the merchant's refund number, 1 to 64 of `A-Z a-z 0-9 _ - | * @`. The same
   * number sent twice refunds once, so retry with the same one.
   */
  @Matches(OUT_REFUND_NO, {
    message: 'must be 1 to 64 letters, digits or _-|*@, unique within the merchant',
  })
  out_refund_no!: string;

  /** 退款原因: shown to the payer in the refund message, up to 80 characters. */
  @IsOptional()
  @MaxLength(80, { message: 'must be at most 80 characters' })
  @IsString({ message: 'must be a string' })
  reason?: string;

  /**
   * 退款结果回调url: where the refund notification goes; absolute, no query string.
   * @default the `refundNotifyUrl` module option (itself `notifyUrl` unless set)
   */
  @IsOptionalNotifyUrl()
  notify_url?: string;

  /**
   * 退款资金来源: `AVAILABLE` (old fund-flow merchants: the available balance) or `UNSETTLED`
   * (deposit refunds); left out, unsettled funds are used.
   */
  @IsOptional()
  @IsIn(['AVAILABLE', 'UNSETTLED'], { message: 'must be AVAILABLE or UNSETTLED' })
  funds_account?: string;

  /** 金额信息: `{ refund, total }` in fen. */
  @RequiredNested(() => RefundAmountDto, 'is required: { refund, total } in fen')
  amount!: RefundAmountDto;

  /** 退款商品: the goods refunded, for refunds of single goods; passed through as given. */
  @IsOptional()
  @IsArray({ message: 'must be an array' })
  goods_detail?: object[];
}

/** A refund named by the merchant's refund number. */
export class RefundQueryDto {
  /** 商户退款单号: the merchant's refund number. */
  @Matches(OUT_REFUND_NO, { message: 'must be the merchant refund number (1 to 64 characters)' })
  out_refund_no!: string;
}

/**
 * 发起异常退款: where the money of an ABNORMAL refund goes instead, with the card holder in
 * plain text; the library encrypts `bank_account` and `real_name` before sending.
 */
export class AbnormalRefundDto extends SubMerchantDto {
  /** 商户退款单号: the merchant's number of the abnormal refund. */
  @Matches(OUT_REFUND_NO, { message: 'must be the merchant refund number (1 to 64 characters)' })
  out_refund_no!: string;

  /**
   * 异常退款处理方式: `USER_BANK_CARD` to the payer's bank card (then `bank_type`,
   * `bank_account` and `real_name` are required), `MERCHANT_BANK_CARD` to the merchant's bank
   * account.
   */
  @IsIn(['USER_BANK_CARD', 'MERCHANT_BANK_CARD'], {
    message: 'must be USER_BANK_CARD (the payer’s debit card) or MERCHANT_BANK_CARD',
  })
  type!: 'USER_BANK_CARD' | 'MERCHANT_BANK_CARD';

  /** 开户银行: the bank type code of the payer's debit card, e.g. `ICBC_DEBIT`; USER_BANK_CARD only. */
  @ValidateIf((o: AbnormalRefundDto) => o.type === 'USER_BANK_CARD' || o.bank_type !== undefined)
  @MaxLength(16, { message: 'must be a bank type code of at most 16 characters' })
  @IsString({ message: 'is required for USER_BANK_CARD: the bank type code, e.g. ICBC_DEBIT' })
  bank_type?: string;

  /** 收款银行卡号, in plain text (encrypted by the library); USER_BANK_CARD only. */
  @ValidateIf((o: AbnormalRefundDto) => o.type === 'USER_BANK_CARD' || o.bank_account !== undefined)
  @Matches(/^\d{8,30}$/, {
    message: 'is required for USER_BANK_CARD: the card number, digits only',
  })
  bank_account?: string;

  /** 收款用户姓名, in plain text (encrypted by the library); USER_BANK_CARD only. */
  @ValidateIf((o: AbnormalRefundDto) => o.type === 'USER_BANK_CARD' || o.real_name !== undefined)
  @Length(1, 128, { message: "is required for USER_BANK_CARD: the card holder's name" })
  @IsString({ message: "is required for USER_BANK_CARD: the card holder's name" })
  real_name?: string;
}
