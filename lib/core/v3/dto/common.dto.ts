// class-transformer's @Type reads decorator metadata; core must work without Nest loading it first.
import 'reflect-metadata';
import { IsIn, IsInt, IsOptional, IsPositive, Matches } from 'class-validator';

/** Merchant order numbers: 6–32 of letters, digits, `_ - | *`. */
export const OUT_TRADE_NO = /^[A-Za-z0-9_\-|*]{6,32}$/;
/** Merchant refund numbers: 1–64 of letters, digits, `_ - | * @`. */
export const OUT_REFUND_NO = /^[A-Za-z0-9_\-|*@]{1,64}$/;
export const HTTP_URL = /^https?:\/\/\S+$/;
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;
export const DIGITS = /^\d+$/;

const FEN =
  'must be a positive whole number of fen (分): 100 means ¥1.00, so convert yuan with Math.round(yuan * 100)';

/** An order amount, in fen (分). */
export class AmountDto {
  @IsPositive({ message: FEN })
  @IsInt({ message: FEN })
  total!: number;

  @IsOptional()
  @IsIn(['CNY'], { message: 'must be CNY for domestic payments' })
  currency?: string;
}

/** A refund amount and the order total it refunds from, in fen (分). */
export class RefundAmountDto {
  @IsPositive({ message: FEN })
  @IsInt({ message: FEN })
  refund!: number;

  @IsPositive({ message: FEN })
  @IsInt({ message: FEN })
  total!: number;

  @IsOptional()
  @IsIn(['CNY'], { message: 'must be CNY for domestic refunds' })
  currency?: string;
}

/** Partner-mode sub-merchant override on any call. */
export class SubMerchantDto {
  @IsOptional()
  @Matches(DIGITS, { message: 'must be the sub-merchant number (digits only)' })
  sub_mchid?: string;
}

/** An order by its merchant order number. */
export class OutTradeNoDto {
  @Matches(OUT_TRADE_NO, { message: 'must be the 6 to 32 character merchant order number' })
  out_trade_no!: string;
}
