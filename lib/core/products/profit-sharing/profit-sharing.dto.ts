import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { composeRules } from '../../validation/compose-rules.js';
import { BILL_DATE, BILL_DATE_MESSAGE } from '../bills/bills.dto.js';
import {
  DIGITS,
  IsFen,
  IsOptionalAppid,
  IsOptionalSubMchid,
  OUT_REFUND_NO,
  SubMerchantDto,
} from '../common.dto.js';

/** 商户分账单号 / 商户回退单号: 1–64 of letters, digits, `_ - | * @` (the refund-number rule). */
const OUT_NO = OUT_REFUND_NO;

/** A merchant's own number of a split, unfreeze or return (商户分账单号 / 商户回退单号). */
const IsOutNo = () =>
  Matches(OUT_NO, {
    message: 'must be 1 to 64 letters, digits or _-|*@, unique within the merchant',
  });

/** 微信订单号 of a payment; `payment` says which one in the messages. */
const IsTransactionIdOf = (payment: string) =>
  composeRules(
    MinLength(1, { message: `is required: the transaction_id of ${payment}` }),
    IsString({ message: `must be the transaction_id of ${payment}` }),
  );

/** 分账描述 / 回退描述: why, up to 80 characters. */
const IsDescription = () =>
  composeRules(
    MaxLength(80, { message: 'must be at most 80 characters' }),
    MinLength(1, { message: 'is required' }),
    IsString({ message: 'must be a string' }),
  );

/** 分账接收方类型. */
export const RECEIVER_TYPES = ['MERCHANT_ID', 'PERSONAL_OPENID', 'PERSONAL_SUB_OPENID'] as const;

/** 分账接收方类型 of a receiver. */
const IsReceiverType = () =>
  IsIn(RECEIVER_TYPES, {
    message: 'must be MERCHANT_ID, PERSONAL_OPENID or PERSONAL_SUB_OPENID',
  });

/** 分账接收方帐号: a merchant number, or a person's openid / sub_openid. */
const IsReceiverAccount = () =>
  composeRules(
    MaxLength(64, { message: 'must be at most 64 characters' }),
    MinLength(1, { message: 'must not be empty' }),
    IsString({ message: 'must be a merchant number or an openid' }),
  );

/** 与分账方的关系类型. */
export const RELATION_TYPES = [
  'SERVICE_PROVIDER',
  'STORE',
  'STAFF',
  'STORE_OWNER',
  'PARTNER',
  'HEADQUARTER',
  'BRAND',
  'DISTRIBUTOR',
  'USER',
  'SUPPLIER',
  'CUSTOM',
] as const;

/** The merchant's AppIDs of a profit-sharing call; partners also name the sub-merchant's. */
class ProfitSharingAppDto extends SubMerchantDto {
  /**
   * 公众账号ID: the AppID the receivers' `PERSONAL_OPENID` belong to (the service provider's in
   * partner mode).
   * @default the `appid` module option
   */
  @IsOptionalAppid()
  appid?: string;

  /**
   * Partner mode: 子商户公众账号ID, needed when a receiver is `PERSONAL_SUB_OPENID`.
   * @default the `subAppid` module option
   */
  @IsOptionalAppid()
  sub_appid?: string;
}

/** One receiver of a split (分账接收方). */
export class ProfitSharingReceiverDto {
  /** 分账接收方类型: `MERCHANT_ID`, `PERSONAL_OPENID` or (partner mode) `PERSONAL_SUB_OPENID`. */
  @IsReceiverType()
  type!: (typeof RECEIVER_TYPES)[number];

  /** 分账接收方帐号: the merchant number, or the person's openid / sub_openid. */
  @IsReceiverAccount()
  account!: string;

  /**
   * 分账个人接收方姓名: a person's real name, checked by WeChat Pay when given. Pass it in plain
   * text: the library encrypts it with the platform key and sends the matching `Wechatpay-Serial`.
   */
  @IsOptional()
  @MinLength(1, { message: 'must not be empty (leave it out instead)' })
  @IsString({ message: 'must be the plain-text name' })
  name?: string;

  /** 分账金额, in fen: at most what is still frozen and the maximum split ratio allows. */
  @IsFen()
  amount!: number;

  /** 分账描述: why, shown in queries and the profit-sharing bill; up to 80 characters. */
  @IsDescription()
  description!: string;
}

/** A split request (请求分账). */
export class ProfitSharingOrderDto extends ProfitSharingAppDto {
  /** 微信订单号: the payment, placed with `settle_info: { profit_sharing: true }`. */
  @IsTransactionIdOf('the paid order')
  transaction_id!: string;

  /**
   * 商户分账单号: the split's own number; the same number sent again is the same split, so a
   * failed call may be retried with it. A second split of one payment needs a new number.
   */
  @IsOutNo()
  out_order_no!: string;

  /** 分账接收方列表: 1 to 50 receivers, each added with `addReceiver` first. */
  @ArrayMaxSize(50, { message: 'must have at most 50 receivers' })
  @ArrayMinSize(1, { message: 'must name at least one receiver' })
  @IsArray({ message: 'must be an array of receivers' })
  @ValidateNested({ each: true })
  @Type(() => ProfitSharingReceiverDto)
  receivers!: ProfitSharingReceiverDto[];

  /**
   * 是否解冻剩余未分资金: `true` returns what is left to the merchant and ends splitting of this
   * payment; `false` keeps it frozen for further splits.
   */
  @IsBoolean({ message: 'is required: true to unfreeze what is left, false to split again later' })
  unfreeze_unsplit!: boolean;
}

/** A split named by the merchant's number and its payment (查询分账结果). */
export class ProfitSharingOrderQueryDto extends SubMerchantDto {
  /** 商户分账单号. */
  @IsOutNo()
  out_order_no!: string;

  /** 微信订单号 of the split payment. */
  @IsTransactionIdOf('the split payment')
  transaction_id!: string;
}

/** A return request (请求分账回退): money back from a merchant receiver. */
export class ProfitSharingReturnDto extends SubMerchantDto {
  /** 微信分账单号: WeChat Pay's number of the split; give it or `out_order_no`. */
  @ValidateIf((o: ProfitSharingReturnDto) => o.out_order_no === undefined)
  @IsString({ message: 'is required unless out_order_no is given' })
  order_id?: string;

  /** 商户分账单号: the merchant's number of the split; give it or `order_id`. */
  @ValidateIf(
    (o: ProfitSharingReturnDto) => o.order_id === undefined || o.out_order_no !== undefined,
  )
  @Matches(OUT_NO, { message: 'must be the merchant split number (or give order_id)' })
  out_order_no?: string;

  /** 商户回退单号: the return's own number; the same number sent again returns once. */
  @IsOutNo()
  out_return_no!: string;

  /** 回退商户号: the merchant receiver the money comes back from. */
  @Matches(DIGITS, { message: 'must be the merchant number of a receiver of the split' })
  return_mchid!: string;

  /** 回退金额, in fen: at most what the split gave this receiver, less earlier returns. */
  @IsFen()
  amount!: number;

  /** 回退描述: why, up to 80 characters. */
  @IsDescription()
  description!: string;
}

/** A return named by its number and its split (查询分账回退结果). */
export class ProfitSharingReturnQueryDto extends SubMerchantDto {
  /** 商户回退单号. */
  @IsOutNo()
  out_return_no!: string;

  /** 商户分账单号 of the split it returned from. */
  @IsOutNo()
  out_order_no!: string;
}

/** An unfreeze request (解冻剩余资金): what is still frozen goes back to the merchant. */
export class ProfitSharingUnfreezeDto extends SubMerchantDto {
  /** 微信订单号 of the payment. */
  @IsTransactionIdOf('the paid order')
  transaction_id!: string;

  /** 商户分账单号: a new number for this instruction (splits and unfreezes share numbers). */
  @IsOutNo()
  out_order_no!: string;

  /** 分账描述: why, up to 80 characters. */
  @IsDescription()
  description!: string;
}

/** A receiver to add (添加分账接收方). */
export class ProfitSharingAddReceiverDto extends ProfitSharingAppDto {
  /** 接收方类型. */
  @IsReceiverType()
  type!: (typeof RECEIVER_TYPES)[number];

  /** 接收方账号: the merchant number, or the person's openid / sub_openid. */
  @IsReceiverAccount()
  account!: string;

  /**
   * 分账接收方全称: a merchant's registered full name (required for `MERCHANT_ID`), or a
   * person's real name (optional, checked when given). Plain text: the library encrypts it.
   */
  @ValidateIf((o: ProfitSharingAddReceiverDto) => o.type === 'MERCHANT_ID' || o.name !== undefined)
  @MinLength(1, { message: 'is required for MERCHANT_ID: the merchant full name' })
  @IsString({ message: 'must be the plain-text name' })
  name?: string;

  /** 与分账方的关系类型, e.g. `STORE`, `PARTNER`, `SERVICE_PROVIDER`, or `CUSTOM`. */
  @IsIn(RELATION_TYPES, { message: `must be one of ${RELATION_TYPES.join(', ')}` })
  relation_type!: (typeof RELATION_TYPES)[number];

  /** 自定义的分账关系: up to 10 characters, required when `relation_type` is `CUSTOM`. */
  @ValidateIf(
    (o: ProfitSharingAddReceiverDto) =>
      o.relation_type === 'CUSTOM' || o.custom_relation !== undefined,
  )
  @MaxLength(10, { message: 'must be at most 10 characters' })
  @MinLength(1, { message: 'is required when relation_type is CUSTOM' })
  @IsString({ message: 'must be a string' })
  custom_relation?: string;
}

/** A receiver to delete (删除分账接收方). */
export class ProfitSharingDeleteReceiverDto extends ProfitSharingAppDto {
  /** 接收方类型. */
  @IsReceiverType()
  type!: (typeof RECEIVER_TYPES)[number];

  /** 接收方账号. */
  @IsReceiverAccount()
  account!: string;
}

/** A profit-sharing bill request (申请分账账单). */
export class ProfitSharingBillDto {
  /**
   * Partner mode: 子商户号, narrowing the bill to one sub-merchant. Unlike other calls it has no
   * default: left out, the bill covers every sub-merchant, as WeChat Pay defines it.
   */
  @IsOptionalSubMchid()
  sub_mchid?: string;

  /** 账单日期: the day, `YYYY-MM-DD`, within the last three months. */
  @Matches(BILL_DATE, { message: BILL_DATE_MESSAGE })
  bill_date!: string;

  /** 压缩类型: `GZIP`, or left out for plain text. */
  @IsOptional()
  @IsIn(['GZIP'], { message: 'must be GZIP, or left out for plain text' })
  tar_type?: string;
}
