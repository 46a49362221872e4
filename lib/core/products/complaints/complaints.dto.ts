import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { composeRules } from '../../validation/compose-rules.js';
import { DIGITS, OptionalNested } from '../common.dto.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = 'must be a date as YYYY-MM-DD, e.g. 2026-06-08';
/** An https URL, as jump URLs must be. */
const HTTPS_URL = /^https:\/\/\S+$/;
/**
 * An https URL, as complaint notification URLs must be; http only on the loopback host, which
 * WeChat Pay cannot reach anyway, for tests against the simulator.
 */
const NOTIFICATION_URL =
  /^(https:\/\/\S+|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/\S*)?)$/;
/** 投诉单号: up to 64 letters, digits, `_` or `-` (WeChat Pay gives digits), so it cannot leave its path segment. */
export const COMPLAINT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** 分页大小: optional, 1 to `max`. */
const IsPageSize = (max: number) =>
  composeRules(
    IsOptional(),
    Max(max, { message: `must be at most ${max}` }),
    Min(1, { message: 'must be at least 1' }),
    IsInt({ message: 'must be a whole number' }),
  );

/** 分页开始位置: optional, from 0. */
const IsPageOffset = () =>
  composeRules(
    IsOptional(),
    Min(0, { message: 'must be 0 or more' }),
    IsInt({ message: 'must be a whole number' }),
  );

/** 被诉商户号 override on the calls that name the complained-about merchant. */
export class ComplaintedMchidDto {
  /**
   * 被诉商户号: the merchant the complaint is about.
   * @default the merchant's own mchid; in partner mode the configured `subMchid`
   */
  @IsOptional()
  @Matches(DIGITS, { message: 'must be the merchant number (digits only)' })
  complainted_mchid?: string;
}

/** 查询投诉单列表: complaints filed between two dates (at most 30 days apart). */
export class ComplaintListQueryDto {
  /** 开始日期: the first day, `YYYY-MM-DD`. */
  @Matches(DATE, { message: DATE_MESSAGE })
  begin_date!: string;

  /** 结束日期: the last day, `YYYY-MM-DD`, at most 30 days after `begin_date`. */
  @Matches(DATE, { message: DATE_MESSAGE })
  end_date!: string;

  /**
   * 分页大小: 1 to 50.
   * @default 10
   */
  @IsPageSize(50)
  limit?: number;

  /**
   * 分页开始位置: from 0.
   * @default 0
   */
  @IsPageOffset()
  offset?: number;

  /**
   * 被诉商户号: only this (sub-)merchant's complaints; service providers see every
   * sub-merchant's complaints without it.
   */
  @IsOptional()
  @Matches(DIGITS, { message: 'must be the merchant number (digits only)' })
  complainted_mchid?: string;
}

/** Paging of 查询投诉协商历史. */
export class NegotiationHistoryQueryDto {
  /** 分页大小: 1 to 300; left out, WeChat Pay's default page size. */
  @IsPageSize(300)
  limit?: number;

  /**
   * 分页开始位置: from 0.
   * @default 0
   */
  @IsPageOffset()
  offset?: number;
}

/** 跳转小程序信息 of a response. */
export class MiniProgramJumpInfoDto {
  /** 跳转小程序APPID. */
  @IsString({ message: 'is required: the mini program AppID' })
  appid!: string;

  /** 跳转小程序页面PATH. */
  @IsString({ message: 'is required: the page path' })
  path!: string;

  /** 跳转小程序页面名称. */
  @IsString({ message: 'is required: the text of the link' })
  text!: string;
}

/** 回复用户: the merchant's answer to the payer. */
export class ComplaintResponseDto extends ComplaintedMchidDto {
  /** 回复内容: up to 200 characters for a merchant, 500 for a service provider. */
  @MaxLength(500, { message: 'must be at most 500 characters' })
  @MinLength(1, { message: 'must not be empty' })
  @IsString({ message: 'is required: the text shown to the payer' })
  response_content!: string;

  /** 回复图片: up to 4 media ids from `wechatPay.complaints.uploadImage`. */
  @IsOptional()
  @ArrayMaxSize(4, { message: 'must hold at most 4 images' })
  @IsString({ each: true, message: 'must be media ids from complaints.uploadImage' })
  @IsArray({ message: 'must be an array of media ids' })
  response_images?: string[];

  /** 跳转链接: an https URL shown with the response. */
  @IsOptional()
  @MaxLength(512, { message: 'must be at most 512 characters' })
  @Matches(HTTPS_URL, { message: 'must be an https URL' })
  jump_url?: string;

  /** 跳转链接文案: up to 10 characters; required with `jump_url`. */
  @ValidateIf(
    (o: ComplaintResponseDto) => o.jump_url !== undefined || o.jump_url_text !== undefined,
  )
  @MaxLength(10, { message: 'must be at most 10 characters' })
  @IsString({ message: 'is required with jump_url: the text of the link' })
  jump_url_text?: string;

  /** 跳转小程序信息. */
  @OptionalNested(() => MiniProgramJumpInfoDto)
  mini_program_jump_info?: MiniProgramJumpInfoDto;
}

/** 更新退款审批结果: approve or reject the refund the payer asked for. */
export class ComplaintRefundProgressDto {
  /** 审批动作: `APPROVE` or `REJECT`. */
  @IsIn(['APPROVE', 'REJECT'], { message: 'must be APPROVE or REJECT' })
  action!: 'APPROVE' | 'REJECT';

  /** 预计发起退款时间: in how many days the refund is made; only with `APPROVE`. */
  @IsOptional()
  @Min(0, { message: 'must be 0 or more days' })
  @IsInt({ message: 'must be a whole number of days' })
  launch_refund_day?: number;

  /** 拒绝退款原因: up to 200 characters; required with `REJECT`. */
  @ValidateIf(
    (o: ComplaintRefundProgressDto) => o.action === 'REJECT' || o.reject_reason !== undefined,
  )
  @MaxLength(200, { message: 'must be at most 200 characters' })
  @IsString({ message: 'is required with action REJECT' })
  reject_reason?: string;

  /** 拒绝退款的举证图片列表: media ids from `complaints.uploadImage`, with `REJECT`. */
  @IsOptional()
  @ArrayMaxSize(4, { message: 'must hold at most 4 images' })
  @IsString({ each: true, message: 'must be media ids from complaints.uploadImage' })
  @IsArray({ message: 'must be an array of media ids' })
  reject_media_list?: string[];

  /** 备注: up to 200 characters. */
  @IsOptional()
  @MaxLength(200, { message: 'must be at most 200 characters' })
  @IsString({ message: 'must be a string' })
  remark?: string;
}

/** 创建 / 更新投诉通知回调地址. */
export class ComplaintNotificationUrlDto {
  /** 通知地址: https only, up to 255 characters. */
  @MaxLength(255, { message: 'must be at most 255 characters' })
  @Matches(NOTIFICATION_URL, { message: 'must be an https URL (WeChat Pay only notifies https)' })
  url!: string;
}

/** A complaint named by WeChat Pay's number. */
export class ComplaintIdDto {
  /** 投诉单号. */
  @Matches(COMPLAINT_ID, {
    message: 'must be the complaint number WeChat Pay gave (1 to 64 letters or digits)',
  })
  complaint_id!: string;
}
