import { IsIn, IsOptional, Matches } from 'class-validator';
import { SubMerchantDto } from '../common.dto.js';

/** A bill date, `YYYY-MM-DD`. */
export const BILL_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The message of a bill date that is not `YYYY-MM-DD`. */
export const BILL_DATE_MESSAGE = 'must be a date as YYYY-MM-DD, e.g. 2026-06-08';

/**
 * A trade bill request (申请交易账单). In partner mode `sub_mchid` narrows the bill to one
 * sub-merchant.
 */
export class TradeBillDto extends SubMerchantDto {
  /** 账单日期: the day, `YYYY-MM-DD`, within the last three months. */
  @Matches(BILL_DATE, { message: BILL_DATE_MESSAGE })
  bill_date!: string;

  /**
   * 账单类型: `ALL`, `SUCCESS` (payments) or `REFUND`.
   * @default 'ALL'
   */
  @IsOptional()
  @IsIn(['ALL', 'SUCCESS', 'REFUND'], { message: 'must be ALL, SUCCESS or REFUND' })
  bill_type?: string;

  /** 压缩类型: `GZIP`, or left out for plain text. */
  @IsOptional()
  @IsIn(['GZIP'], { message: 'must be GZIP, or left out for plain text' })
  tar_type?: string;
}

/** A fund-flow bill request (申请资金账单) for the merchant's own account. */
export class FundFlowBillDto {
  /** 账单日期: the day, `YYYY-MM-DD`, within the last three months. */
  @Matches(BILL_DATE, { message: BILL_DATE_MESSAGE })
  bill_date!: string;

  /**
   * 资金账户类型: `BASIC` (基本账户), `OPERATION` (运营账户) or `FEES` (手续费账户).
   * @default 'BASIC'
   */
  @IsOptional()
  @IsIn(['BASIC', 'OPERATION', 'FEES'], { message: 'must be BASIC, OPERATION or FEES' })
  account_type?: string;

  /** 压缩类型: `GZIP`, or left out for plain text. */
  @IsOptional()
  @IsIn(['GZIP'], { message: 'must be GZIP, or left out for plain text' })
  tar_type?: string;
}
