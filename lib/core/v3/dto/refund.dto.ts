import { Type } from 'class-transformer';
import {
  IsArray,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  HTTP_URL,
  OUT_REFUND_NO,
  OUT_TRADE_NO,
  RefundAmountDto,
  SubMerchantDto,
} from './common.dto.js';

/** A v3 refund request (申请退款). */
export class RefundDto extends SubMerchantDto {
  @ValidateIf((o: RefundDto) => o.out_trade_no === undefined)
  @IsString({ message: 'is required unless out_trade_no is given' })
  transaction_id?: string;

  @ValidateIf((o: RefundDto) => o.transaction_id === undefined || o.out_trade_no !== undefined)
  @Matches(OUT_TRADE_NO, {
    message: 'must be the 6 to 32 character merchant order number (or give transaction_id)',
  })
  out_trade_no?: string;

  @Matches(OUT_REFUND_NO, {
    message: 'must be 1 to 64 letters, digits or _-|*@, unique within the merchant',
  })
  out_refund_no!: string;

  @IsOptional()
  @MaxLength(80, { message: 'must be at most 80 characters' })
  @IsString({ message: 'must be a string' })
  reason?: string;

  @IsOptional()
  @Matches(HTTP_URL, { message: 'must be an absolute URL WeChat Pay can reach' })
  notify_url?: string;

  @IsOptional()
  @IsIn(['AVAILABLE', 'UNSETTLED'], { message: 'must be AVAILABLE or UNSETTLED' })
  funds_account?: string;

  @IsDefined({ message: 'is required: { refund, total } in fen' })
  @ValidateNested()
  @Type(() => RefundAmountDto)
  amount!: RefundAmountDto;

  @IsOptional()
  @IsArray({ message: 'must be an array' })
  goods_detail?: object[];
}

/** A v3 refund query by merchant refund number. */
export class RefundQueryDto {
  @Matches(OUT_REFUND_NO, { message: 'must be the merchant refund number (1 to 64 characters)' })
  out_refund_no!: string;
}
