import { IsIn, IsOptional, Matches } from 'class-validator';
import { SubMerchantDto } from './common.dto.js';

const BILL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const BILL_DATE_MESSAGE = 'must be a date as YYYY-MM-DD, e.g. 2026-06-08';

/** The query of a v3 trade bill (交易账单). */
export class TradeBillDto extends SubMerchantDto {
  @Matches(BILL_DATE, { message: BILL_DATE_MESSAGE })
  bill_date!: string;

  @IsOptional()
  @IsIn(['ALL', 'SUCCESS', 'REFUND'], { message: 'must be ALL, SUCCESS or REFUND' })
  bill_type?: string;

  @IsOptional()
  @IsIn(['GZIP'], { message: 'must be GZIP, or left out for plain text' })
  tar_type?: string;
}

/** The query of a v3 fund-flow bill (资金账单). */
export class FundFlowBillDto {
  @Matches(BILL_DATE, { message: BILL_DATE_MESSAGE })
  bill_date!: string;

  @IsOptional()
  @IsIn(['BASIC', 'OPERATION', 'FEES'], { message: 'must be BASIC, OPERATION or FEES' })
  account_type?: string;

  @IsOptional()
  @IsIn(['GZIP'], { message: 'must be GZIP, or left out for plain text' })
  tar_type?: string;
}
