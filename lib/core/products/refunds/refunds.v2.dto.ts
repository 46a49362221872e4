import { IsInt, IsOptional, IsPositive, IsString, Matches, ValidateIf } from 'class-validator';
import { DIGITS, IsOptionalNotifyUrl, OUT_REFUND_NO } from '../common.dto.js';
import { V2OrderRefDto } from '../payments/payments.v2.dto.js';
import { V2_FEN_MESSAGE } from '../v2-common.dto.js';

/** A refund request (申请退款): the order by one of its numbers, and the refund's own number. */
export class V2RefundDto extends V2OrderRefDto {
  /** 商户退款单号: 1 to 64 of `A-Z a-z 0-9 _ - | * @`; the same number refunds once. */
  @Matches(OUT_REFUND_NO, { message: 'must be 1 to 64 letters, digits or _-|*@' })
  out_refund_no!: string;

  /** 订单金额: the total of the original order, in fen. */
  @IsPositive({ message: V2_FEN_MESSAGE })
  @IsInt({ message: V2_FEN_MESSAGE })
  total_fee!: number;

  /** 退款金额: how much to refund, in fen; at most `total_fee`. */
  @IsPositive({ message: V2_FEN_MESSAGE })
  @IsInt({ message: V2_FEN_MESSAGE })
  refund_fee!: number;

  /**
   * 退款结果通知url: where the refund notification goes.
   * @default the `refundNotifyUrl` module option (itself `notifyUrl` unless set)
   */
  @IsOptionalNotifyUrl()
  notify_url?: string;
}

/** A refundquery request (查询退款): give one of the four numbers. */
export class V2RefundQueryDto {
  /** 商户退款单号. */
  @ValidateIf((o: V2RefundQueryDto) => !o.out_trade_no && !o.transaction_id && !o.refund_id)
  @IsString({ message: 'give one of out_refund_no, refund_id, out_trade_no or transaction_id' })
  out_refund_no?: string;

  /** 微信退款单号. */
  @IsOptional() @IsString() refund_id?: string;
  /** 商户订单号: lists every refund of the order. */
  @IsOptional() @IsString() out_trade_no?: string;
  /** 微信订单号: lists every refund of the order. */
  @IsOptional() @IsString() transaction_id?: string;
  /**
   * Partner mode: 子商户号.
   * @default the `subMchid` module option
   */
  @IsOptional() @Matches(DIGITS) sub_mch_id?: string;
}
