import { IsIn, IsOptional, Matches } from 'class-validator';
import { V2_BILL_DATE } from '../v2-common.dto.js';

const V2_BILL_DATE_MESSAGE = 'must be a date as YYYYMMDD, e.g. 20260608';

/** A downloadbill request (下载交易账单). */
export class V2BillDto {
  /** 对账单日期: `YYYYMMDD`. */
  @Matches(V2_BILL_DATE, { message: V2_BILL_DATE_MESSAGE })
  bill_date!: string;

  /**
   * 账单类型: `ALL`, `SUCCESS`, `REFUND` or `RECHARGE_REFUND`.
   * @default 'ALL'
   */
  @IsOptional()
  @IsIn(['ALL', 'SUCCESS', 'REFUND', 'RECHARGE_REFUND'], {
    message: 'must be ALL, SUCCESS, REFUND or RECHARGE_REFUND',
  })
  bill_type?: string;
}

/** A downloadfundflow request (下载资金账单). */
export class V2FundFlowDto {
  /** 资金账单日期: `YYYYMMDD`. */
  @Matches(V2_BILL_DATE, { message: V2_BILL_DATE_MESSAGE })
  bill_date!: string;

  /** 资金账户类型: `Basic` (基本账户), `Operation` (运营账户) or `Fees` (手续费账户). */
  @IsIn(['Basic', 'Operation', 'Fees'], { message: 'must be Basic, Operation or Fees' })
  account_type!: string;
}
