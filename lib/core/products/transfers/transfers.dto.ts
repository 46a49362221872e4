import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsNotEmpty,
  Length,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { HTTP_URL, IsFen, SubMerchantDto } from '../common.dto.js';

/** Transfer numbers (商户单号): 1–32 letters and digits only. */
export const OUT_BILL_NO = /^[A-Za-z0-9]{1,32}$/;

const OUT_BILL_NO_MESSAGE = 'must be 1 to 32 letters and digits, unique within the merchant';

/** From this amount (¥2,000.00) on, WeChat Pay requires the payee's name. */
export const USER_NAME_REQUIRED_FROM_FEN = 200_000;

/** One 转账场景报备信息: what the scene requires to be reported, e.g. 活动名称 / 奖励说明. */
export class TransferSceneReportInfoDto {
  /** 信息类型: the name WeChat Pay defines for the scene, e.g. `活动名称`. */
  @IsNotEmpty({ message: 'must not be empty' })
  @IsString({ message: 'is required, e.g. 活动名称' })
  info_type!: string;

  /** 信息内容: its value, e.g. `新会员有礼`. */
  @IsNotEmpty({ message: 'must not be empty' })
  @IsString({ message: 'is required' })
  info_content!: string;
}

/** A transfer to a user's WeChat balance (发起转账, 商家转账用户确认模式). */
export class TransferBillDto extends SubMerchantDto {
  /**
   * 商户AppID: the AppID the user's `openid` belongs to.
   * @default the `appid` module option
   */
  @IsOptional()
  @IsString({ message: 'must be a string' })
  appid?: string;

  /**
   * 商户单号: 1 to 32 letters and digits. Sending the same number again never pays twice: after
   * an unclear outcome, retry with THIS number, never a new one.
   */
  @Matches(OUT_BILL_NO, { message: OUT_BILL_NO_MESSAGE })
  out_bill_no!: string;

  /** 转账场景ID: a scene the merchant was granted in 商户平台-产品中心-商家转账, e.g. `1000`. */
  @Length(1, 36, { message: 'must be 1 to 36 characters' })
  @IsString({ message: 'is required: the scene granted in 商户平台, e.g. 1000 (现金营销)' })
  transfer_scene_id!: string;

  /** 收款用户OpenID: the user, under `appid`. */
  @Length(1, 64, { message: 'must be 1 to 64 characters' })
  @IsString({ message: "is required: the user's OpenID under appid" })
  openid!: string;

  /**
   * 收款用户姓名, in PLAIN text: the library encrypts it for WeChat Pay and sends the key's
   * serial. Required from ¥2,000; when given, WeChat Pay checks it and offers a receipt.
   */
  @ValidateIf(
    (o: TransferBillDto) =>
      o.user_name !== undefined ||
      (typeof o.transfer_amount === 'number' && o.transfer_amount >= USER_NAME_REQUIRED_FROM_FEN),
  )
  @IsNotEmpty({ message: "is required from ¥2,000 (200000 fen): the payee's real name" })
  @IsString({ message: 'must be a string' })
  user_name?: string;

  /** 转账金额, in fen. */
  @IsFen()
  transfer_amount!: number;

  /** 转账备注: shown to the user, up to 32 characters. */
  @Length(1, 32, { message: 'must be 1 to 32 characters' })
  @IsString({ message: 'is required: shown to the user' })
  transfer_remark!: string;

  /**
   * 通知地址: where `MCHTRANSFER.BILL.FINISHED` goes; absolute, no query string.
   * @default the `transferNotifyUrl` module option (itself `notifyUrl` unless set; no
   *   notification when neither is set)
   */
  @IsOptional()
  @MaxLength(256, { message: 'must be at most 256 characters' })
  @Matches(HTTP_URL, { message: 'must be an absolute URL WeChat Pay can reach' })
  notify_url?: string;

  /** 用户收款感知: what the user sees as the reason; left out, the scene's default. */
  @IsOptional()
  @IsString({ message: 'must be a string' })
  user_recv_perception?: string;

  /** 转账场景报备信息: what the scene requires, e.g. `[{ info_type: '活动名称', info_content: '…' }]`. */
  @IsDefined({ message: 'is required: [{ info_type, info_content }] as the scene defines' })
  @IsArray({ message: 'must be an array of { info_type, info_content }' })
  @ArrayMinSize(1, { message: 'must name at least one { info_type, info_content }' })
  @ValidateNested({ each: true })
  @Type(() => TransferSceneReportInfoDto)
  transfer_scene_report_infos!: TransferSceneReportInfoDto[];
}

/** A transfer named by the merchant's number. */
export class OutBillNoDto {
  /** 商户单号. */
  @Matches(OUT_BILL_NO, { message: OUT_BILL_NO_MESSAGE })
  out_bill_no!: string;
}

/** A transfer named by WeChat Pay's number. */
export class TransferBillNoDto {
  /** 微信转账单号. */
  @Matches(/^[A-Za-z0-9]{1,64}$/, { message: "must be WeChat Pay's transfer_bill_no" })
  transfer_bill_no!: string;
}
