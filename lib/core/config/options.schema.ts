import { KeyObject } from 'node:crypto';
import {
  IsArray,
  IsBoolean,
  IsByteLength,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { isValidDomain } from '../http/domains.js';
import type { IdempotencyStore } from '../store/idempotency-store.js';
import type { WechatPayMode, WechatPayOptions } from './options.js';

const DIGITS = /^\d+$/;
const HEX = /^[0-9A-Fa-f]+$/;

/** The {@link IdempotencyStore} methods `store` lacks; all of them are called at run time. */
function missingStoreMethods(store: object): string[] {
  return ['claim', 'extend', 'complete', 'release'].filter(
    (method) => typeof (store as Record<string, unknown>)[method] !== 'function',
  );
}

function IsKeyInput(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isKeyInput',
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'string' && value.trim() !== '') ||
          Buffer.isBuffer(value) ||
          value instanceof KeyObject,
      },
    },
    options,
  );
}

function IsDomain(allowFalse: boolean, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWechatPayDomain',
      validator: {
        validate: (value: unknown) => (allowFalse && value === false) || isValidDomain(value),
      },
    },
    options,
  );
}

const domainHelp =
  'must be CHINA, CHINA2, HK, US or an absolute http(s) base URL without a path (e.g. the simulator URL)';

/**
 * class-validator rules for {@link WechatPayOptions}, field by field. Messages name the fix and
 * never the value: several of these fields are secrets.
 */
export class WechatPayOptionsSchema implements WechatPayOptions {
  @Matches(DIGITS, {
    message:
      'is required: the merchant number (商户号, digits only) shown in the merchant platform under 账户中心 → 商户信息',
  })
  @IsString({ message: 'is required: the merchant number (商户号) as a string of digits' })
  mchid!: string;

  @IsOptional()
  @IsNotEmpty({ message: 'must not be empty: the AppID bound to the merchant, or leave it out' })
  @IsString({ message: 'must be a string: the AppID bound to the merchant' })
  appid?: string;

  @IsOptional()
  @Matches(/^[^\s,]+$/, {
    each: true,
    message:
      'must list AppIDs (公众号, 小程序 or App bound to the merchant), each without spaces or commas',
  })
  @IsString({ each: true, message: 'must be a list of AppIDs (strings)' })
  @IsArray({ message: 'must be a list of AppIDs, e.g. ["wx1111111111111111"]' })
  appids?: string[];

  @IsOptional()
  @Matches(HEX, {
    message:
      'must be the merchant API certificate serial in hex; `openssl x509 -in apiclient_cert.pem -noout -serial` prints it',
  })
  @IsString({ message: 'must be a string: the merchant API certificate serial' })
  serialNo?: string;

  @IsOptional()
  @IsKeyInput({
    message: 'must be the PEM text of apiclient_key.pem (a string or Buffer) or a KeyObject',
  })
  privateKey?: string | Buffer | KeyObject;

  @IsOptional()
  @IsNotEmpty({ message: 'must be the path of apiclient_key.pem' })
  @IsString({ message: 'must be the path of apiclient_key.pem' })
  privateKeyPath?: string;

  @IsOptional()
  @IsByteLength(32, 32, {
    message:
      'must be exactly 32 bytes: copy the APIv3 key (APIv3密钥) set in the merchant platform under 账户中心 → API安全',
  })
  @IsString({ message: 'must be a string: the 32-byte APIv3 key' })
  apiV3Key?: string;

  @IsOptional()
  @IsByteLength(32, 32, {
    message:
      'must be exactly 32 bytes: copy the API v2 key (API密钥) set in the merchant platform under 账户中心 → API安全',
  })
  @IsString({ message: 'must be a string: the 32-byte API v2 key' })
  apiKey?: string;

  @IsOptional()
  @IsIn(['MD5', 'HMAC-SHA256'], { message: 'must be MD5 or HMAC-SHA256' })
  v2SignType?: 'MD5' | 'HMAC-SHA256';

  @IsOptional()
  @IsKeyInput({
    message: 'must be the PEM text of the WeChat Pay public key (pub_key.pem) or a KeyObject',
  })
  platformPublicKey?: string | Buffer | KeyObject;

  @IsOptional()
  @IsNotEmpty({ message: 'must be the path of pub_key.pem' })
  @IsString({ message: 'must be the path of pub_key.pem' })
  platformPublicKeyPath?: string;

  @IsOptional()
  @Matches(/^PUB_KEY_ID_\w+$/, {
    message: 'must be the WeChat Pay public key id shown next to the key, starting PUB_KEY_ID_',
  })
  @IsString({ message: 'must be a string starting PUB_KEY_ID_' })
  platformPublicKeyId?: string;

  @IsOptional()
  @IsDomain(false, { message: domainHelp })
  domain?: string;

  @IsOptional()
  @IsDomain(true, { message: `${domainHelp}, or false to turn failover off` })
  backupDomain?: string | false;

  @IsOptional()
  @Max(120_000, { message: 'must be at most 120000 ms' })
  @Min(100, { message: 'must be at least 100 ms' })
  @IsInt({ message: 'must be a whole number of milliseconds' })
  timeout?: number;

  @IsOptional()
  @Max(60_000, { message: 'must be at most 60000 ms' })
  @Min(0, { message: 'must be 0 (no start-up check) or more' })
  @IsInt({ message: 'must be a whole number of milliseconds' })
  startupTimeout?: number;

  @IsOptional()
  @IsIn(['merchant', 'partner'], { message: "must be 'merchant' or 'partner'" })
  mode?: WechatPayMode;

  @IsOptional()
  @Matches(DIGITS, { message: 'must be the sub-merchant number (digits only)' })
  @IsString({ message: 'must be the sub-merchant number as a string' })
  subMchid?: string;

  @IsOptional()
  @IsNotEmpty({ message: 'must not be empty: the sub-merchant AppID, or leave it out' })
  @IsString({ message: 'must be a string: the sub-merchant AppID' })
  subAppid?: string;

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an absolute URL WeChat Pay can reach' })
  @IsString({ message: 'must be an absolute URL string' })
  notifyUrl?: string;

  @IsOptional()
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an absolute URL WeChat Pay can reach' })
  @IsString({ message: 'must be an absolute URL string' })
  refundNotifyUrl?: string;

  @IsOptional()
  @ValidateBy(
    {
      name: 'isIdempotencyStore',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' && value !== null && missingStoreMethods(value).length === 0,
      },
    },
    {
      message: (args) => {
        const store: unknown = args.value;
        return typeof store === 'object' && store !== null
          ? `must implement IdempotencyStore: missing ${missingStoreMethods(store).join(', ')}`
          : 'must be an IdempotencyStore: an object with claim, extend, complete and release';
      },
    },
  )
  idempotencyStore?: IdempotencyStore;

  @IsOptional()
  @Min(1000, { message: 'must be at least 1000 ms' })
  @IsInt({ message: 'must be a whole number of milliseconds' })
  notificationLeaseMs?: number;

  @IsOptional()
  @Min(90_000_000, {
    message: 'must be at least 25 hours (90000000 ms): WeChat Pay redelivers for 24 h 4 min',
  })
  @IsInt({ message: 'must be a whole number of milliseconds' })
  notificationDoneTtlMs?: number;

  @IsOptional()
  @Max(3_600_000, {
    message: 'must be at most 1 hour (3600000 ms): a handler running longer is hung',
  })
  @Min(1000, { message: 'must be at least 1000 ms' })
  @IsInt({ message: 'must be a whole number of milliseconds' })
  notificationHandlerTimeoutMs?: number;

  @IsOptional()
  @Max(5000, { message: 'must be at most 5000 ms: WeChat Pay waits about 5 s for an answer' })
  @Min(100, { message: 'must be at least 100 ms' })
  @IsInt({ message: 'must be a whole number of milliseconds' })
  notificationStoreTimeoutMs?: number;

  @IsOptional()
  @IsKeyInput({ message: 'must be the PEM text of apiclient_cert.pem' })
  clientCert?: string | Buffer;

  @IsOptional()
  @IsNotEmpty({ message: 'must be the path of apiclient_cert.pem' })
  @IsString({ message: 'must be the path of apiclient_cert.pem' })
  clientCertPath?: string;

  @IsOptional()
  @IsKeyInput({ message: 'must be the PEM text of the client certificate key' })
  clientKey?: string | Buffer;

  @IsOptional()
  @IsNotEmpty({ message: 'must be the path of the client certificate key' })
  @IsString({ message: 'must be the path of the client certificate key' })
  clientKeyPath?: string;

  @IsOptional()
  @ValidateBy(
    { name: 'isBuffer', validator: { validate: (value: unknown) => Buffer.isBuffer(value) } },
    { message: 'must be the bytes of apiclient_cert.p12 (a Buffer); or use pfxPath' },
  )
  pfx?: Buffer;

  @IsOptional()
  @IsNotEmpty({ message: 'must be the path of apiclient_cert.p12' })
  @IsString({ message: 'must be the path of apiclient_cert.p12' })
  pfxPath?: string;

  @IsOptional()
  @IsString({ message: 'must be a string (by default the mchid)' })
  pfxPassphrase?: string;

  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  sandbox?: boolean;

  @IsOptional()
  @IsKeyInput({ message: 'must be PEM text of one or more CA certificates' })
  tlsCa?: string | Buffer;
}
