import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AmountDto, HTTP_URL, OUT_TRADE_NO, RFC3339, SubMerchantDto } from './common.dto.js';

/** The payer of a JSAPI / mini program order. */
export class PayerDto {
  @ValidateIf((payer: PayerDto) => payer.sp_openid === undefined && payer.sub_openid === undefined)
  @IsString({
    message: "is required: the payer's openid under appid (partner mode: sp_openid or sub_openid)",
  })
  openid?: string;

  @IsOptional()
  @IsString({ message: "must be the payer's openid under sp_appid" })
  sp_openid?: string;

  @IsOptional()
  @IsString({ message: "must be the payer's openid under sub_appid" })
  sub_openid?: string;
}

/** The H5 scene of an H5 order (`scene_info.h5_info`). */
export class H5InfoDto {
  @IsString({ message: 'is required for H5: iOS, Android or Wap' })
  type!: string;
}

/** Where the order was placed (`scene_info`). */
export class SceneInfoDto {
  @IsOptional()
  @IsString({ message: "must be the payer's IP address" })
  payer_client_ip?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => H5InfoDto)
  h5_info?: H5InfoDto;
}

/** Fields shared by every prepay request (JSAPI, App, H5, Native). */
class PrepayBaseDto extends SubMerchantDto {
  @Length(1, 127, { message: 'must be 1 to 127 characters: what the payer sees on the bill' })
  @IsString({ message: 'is required: what the payer sees on the bill' })
  description!: string;

  @Matches(OUT_TRADE_NO, {
    message: 'must be 6 to 32 letters, digits or _-|* and unique within the merchant',
  })
  out_trade_no!: string;

  @IsDefined({ message: 'is required: { total } in fen' })
  @ValidateNested()
  @Type(() => AmountDto)
  amount!: AmountDto;

  @IsOptional()
  @Matches(HTTP_URL, { message: 'must be an absolute URL WeChat Pay can reach' })
  notify_url?: string;

  @IsOptional()
  @Matches(RFC3339, { message: 'must be RFC 3339 with an offset, e.g. 2026-06-08T10:34:56+08:00' })
  time_expire?: string;

  @IsOptional()
  @MaxLength(128, { message: 'must be at most 128 characters' })
  @IsString({ message: 'must be a string' })
  attach?: string;

  @IsOptional()
  @IsString({ message: 'must be a string' })
  goods_tag?: string;

  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  support_fapiao?: boolean;

  @IsOptional()
  @IsString({ message: 'must be an AppID' })
  appid?: string;

  @IsOptional()
  @IsString({ message: 'must be an AppID' })
  sub_appid?: string;

  @IsOptional()
  @IsObject({ message: 'must be an object' })
  detail?: object;

  @IsOptional()
  @IsObject({ message: 'must be an object' })
  settle_info?: object;
}

/** A Native or App prepay request. */
export class PrepayDto extends PrepayBaseDto {
  @IsOptional()
  @ValidateNested()
  @Type(() => SceneInfoDto)
  scene_info?: SceneInfoDto;
}

/** A JSAPI / mini program prepay request: `payer` is required. */
export class JsapiPrepayDto extends PrepayDto {
  @IsDefined({
    message: 'is required for JSAPI: { openid } (partner mode: { sp_openid } or { sub_openid })',
  })
  @ValidateNested()
  @Type(() => PayerDto)
  payer!: PayerDto;
}

/** `scene_info` of an H5 order: the payer's IP and the H5 scene. */
export class H5SceneInfoDto {
  @IsString({ message: "is required for H5: the payer's IP address" })
  payer_client_ip!: string;

  @IsDefined({ message: 'is required for H5: { type: "Wap" | "iOS" | "Android" }' })
  @ValidateNested()
  @Type(() => H5InfoDto)
  h5_info!: H5InfoDto;
}

/** An H5 prepay request: `scene_info` with the payer's IP and `h5_info.type` is required. */
export class H5PrepayDto extends PrepayBaseDto {
  @IsDefined({ message: 'is required for H5: { payer_client_ip, h5_info: { type } }' })
  @ValidateNested()
  @Type(() => H5SceneInfoDto)
  scene_info!: H5SceneInfoDto;
}
