import 'reflect-metadata';
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

const OUT_TRADE_NO = /^[A-Za-z0-9_\-|*@]{1,32}$/;
const FEN = 'must be a positive whole number of fen (分): 100 means ¥1.00';

/** Shared by unifiedorder and micropay. */
class V2OrderDto {
  @Length(1, 128, { message: 'must be 1 to 128 characters: what the payer sees on the bill' })
  @IsString({ message: 'is required: what the payer sees on the bill' })
  body!: string;

  @Matches(OUT_TRADE_NO, {
    message: 'must be 1 to 32 letters, digits or _-|*@, unique within the merchant',
  })
  out_trade_no!: string;

  @IsPositive({ message: FEN })
  @IsInt({ message: FEN })
  total_fee!: number;

  @IsString({ message: "is required: the payer's IP address (spbill_create_ip)" })
  spbill_create_ip!: string;

  @IsOptional()
  @IsString({ message: 'must be an AppID' })
  appid?: string;

  @IsOptional()
  @Matches(/^\d+$/, { message: 'must be the sub-merchant number' })
  sub_mch_id?: string;

  @IsOptional()
  @IsString({ message: 'must be an AppID' })
  sub_appid?: string;
}

/** An API v2 order (统一下单, `/pay/unifiedorder`). */
export class UnifiedOrderDto extends V2OrderDto {
  @IsIn(['JSAPI', 'NATIVE', 'APP', 'MWEB'], { message: 'must be JSAPI, NATIVE, APP or MWEB' })
  trade_type!: 'JSAPI' | 'NATIVE' | 'APP' | 'MWEB';

  @ValidateIf((o: UnifiedOrderDto) => o.trade_type === 'JSAPI' && o.sub_openid === undefined)
  @IsString({ message: "is required for JSAPI: the payer's openid (or sub_openid)" })
  openid?: string;

  @IsOptional()
  @IsString({ message: 'must be a string' })
  sub_openid?: string;

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an absolute URL WeChat Pay can reach' })
  notify_url?: string;
}

/** An API v2 code payment (付款码支付, `/pay/micropay`). */
export class MicropayDto extends V2OrderDto {
  @Matches(/^\d{18}$/, { message: "must be the 18-digit code scanned from the payer's WeChat" })
  auth_code!: string;
}

/** An order, named by the merchant's number or WeChat Pay's. */
export class V2OrderRefDto {
  @ValidateIf((o: V2OrderRefDto) => o.transaction_id === undefined)
  @Matches(OUT_TRADE_NO, { message: 'is required unless transaction_id is given' })
  out_trade_no?: string;

  @IsOptional()
  @IsString({ message: "must be WeChat Pay's transaction id" })
  transaction_id?: string;

  @IsOptional()
  @Matches(/^\d+$/, { message: 'must be the sub-merchant number' })
  sub_mch_id?: string;
}

/** An API v2 refund (申请退款, `/secapi/pay/refund`). */
export class V2RefundDto extends V2OrderRefDto {
  @Matches(/^[A-Za-z0-9_\-|*@]{1,64}$/, { message: 'must be 1 to 64 letters, digits or _-|*@' })
  out_refund_no!: string;

  @IsPositive({ message: FEN })
  @IsInt({ message: FEN })
  total_fee!: number;

  @IsPositive({ message: FEN })
  @IsInt({ message: FEN })
  refund_fee!: number;

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an absolute URL WeChat Pay can reach' })
  notify_url?: string;
}

/** An API v2 refund query (`/pay/refundquery`): one of its numbers. */
export class V2RefundQueryDto {
  @ValidateIf((o: V2RefundQueryDto) => !o.out_trade_no && !o.transaction_id && !o.refund_id)
  @IsString({ message: 'give one of out_refund_no, refund_id, out_trade_no or transaction_id' })
  out_refund_no?: string;

  @IsOptional() @IsString() refund_id?: string;
  @IsOptional() @IsString() out_trade_no?: string;
  @IsOptional() @IsString() transaction_id?: string;
  @IsOptional() @Matches(/^\d+$/) sub_mch_id?: string;
}

/** An API v2 trade bill download (`/pay/downloadbill`). */
export class V2BillDto {
  @Matches(/^\d{8}$/, { message: 'must be a date as YYYYMMDD, e.g. 20260608' })
  bill_date!: string;

  @IsOptional()
  @IsIn(['ALL', 'SUCCESS', 'REFUND', 'RECHARGE_REFUND'], {
    message: 'must be ALL, SUCCESS, REFUND or RECHARGE_REFUND',
  })
  bill_type?: string;
}

/** An API v2 fund-flow bill download (`/pay/downloadfundflow`). */
export class V2FundFlowDto {
  @Matches(/^\d{8}$/, { message: 'must be a date as YYYYMMDD, e.g. 20260608' })
  bill_date!: string;

  @IsIn(['Basic', 'Operation', 'Fees'], { message: 'must be Basic, Operation or Fees' })
  account_type!: string;
}
