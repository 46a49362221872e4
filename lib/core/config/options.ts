import type { KeyObject } from 'node:crypto';
import type { V2SignType } from '../crypto/v2-sign.js';
import type { WechatPayDomainName } from '../http/domains.js';
import type { IdempotencyStore } from '../store/idempotency-store.js';

/** Ordinary merchant (直连商户) or service provider (服务商). */
export type WechatPayMode = 'merchant' | 'partner';

/**
 * How to reach and authenticate as one WeChat Pay merchant.
 *
 * Give the APIv3 fields (`privateKey` or `privateKeyPath`, `serialNo`, `apiV3Key`), the v2
 * `apiKey`, or both. Everything is checked when the application starts.
 *
 * @example
 * WechatPayModule.forRoot({
 *   mchid: '1900000109',
 *   appid: 'wxd678efh567hg6787',
 *   serialNo: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
 *   privateKeyPath: '/run/secrets/apiclient_key.pem',
 *   apiV3Key: process.env.WECHATPAY_API_V3_KEY,
 * });
 */
export interface WechatPayOptions {
  /**
   * The merchant number (商户号); the service provider's own number (`sp_mchid`) in partner mode.
   * @example '1900000109'
   */
  mchid: string;

  /**
   * The AppID bound to the merchant (公众号, 小程序 or App); `sp_appid` in partner mode.
   * Required by the payment methods that need one; may be given per call instead.
   * @example 'wxd678efh567hg6787'
   */
  appid?: string;

  /**
   * The merchant's other AppIDs (公众号, 小程序, App bound to the same mchid; the service
   * provider's in partner mode), besides `appid`, which stays the default of every call and is
   * always accepted. An order may name any of them per call; a notification for an AppID that
   * is neither `appid` nor listed here is refused, and so is a per-call AppID before anything is
   * sent. Sub-merchant AppIDs (`sub_appid`) are the sub-merchant's and are not listed here.
   * With neither `appid` nor `appids`, AppIDs are not checked.
   * @default []
   * @example ['wx1111111111111111', 'wx2222222222222222']
   */
  appids?: string[];

  /**
   * Serial number of the merchant API certificate (商户API证书序列号), upper-case hex.
   * `openssl x509 -in apiclient_cert.pem -noout -serial` prints it.
   * @example '5157F09EFDC096DE15EBE81A47057A7232F1B8E1'
   */
  serialNo?: string;

  /**
   * The merchant API private key (`apiclient_key.pem`) as PEM text or a parsed `KeyObject`.
   * Mutually exclusive with `privateKeyPath`.
   */
  privateKey?: string | Buffer | KeyObject;

  /**
   * Path of the merchant API private key file (`apiclient_key.pem`), read once at start-up.
   * @example '/run/secrets/apiclient_key.pem'
   */
  privateKeyPath?: string;

  /** The APIv3 key (APIv3密钥): exactly 32 bytes. Decrypts notifications and certificates. */
  apiV3Key?: string;

  /** The API v2 key (API密钥): exactly 32 bytes. Needed only for API v2 calls and callbacks. */
  apiKey?: string;

  /**
   * Signature type for API v2 requests and client parameters.
   * @default 'MD5'
   */
  v2SignType?: V2SignType;

  /**
   * The WeChat Pay public key (微信支付公钥, `pub_key.pem`) for merchants that verify with a public
   * key instead of platform certificates. Mutually exclusive with `platformPublicKeyPath`;
   * needs `platformPublicKeyId`.
   */
  platformPublicKey?: string | Buffer | KeyObject;

  /** Path of the WeChat Pay public key file (`pub_key.pem`). */
  platformPublicKeyPath?: string;

  /**
   * The id of the WeChat Pay public key, as WeChat Pay sends it in `Wechatpay-Serial`.
   * @example 'PUB_KEY_ID_0114232134912410000000000000'
   */
  platformPublicKeyId?: string;

  /**
   * Where requests go: `CHINA`, `CHINA2`, `HK`, `US`, or a base URL such as the simulator's.
   * @default 'CHINA'
   */
  domain?: WechatPayDomainName | (string & {});

  /**
   * The domain to fail over to on connection errors and timeouts; `false` turns failover off.
   * @default 'CHINA2' for CHINA, 'CHINA' for CHINA2, none otherwise
   */
  backupDomain?: WechatPayDomainName | (string & {}) | false;

  /**
   * Deadline of each attempt in milliseconds: connecting, sending and the whole answer, however
   * slowly its bytes arrive. A timed-out attempt fails over like a connection error, so a call
   * may take up to twice this. Bill downloads: the deadline covers the headers, then each wait
   * for more data, so a large file may take longer in all as long as it keeps arriving.
   * @default 10000
   */
  timeout?: number;

  /**
   * How long application start-up (Nest's `onModuleInit`, or `WechatPayClient.init()`) waits for
   * what verifying WeChat Pay needs, in milliseconds: with platform certificates (no
   * `platformPublicKey`), their download and decryption with `apiV3Key`. A list the APIv3 key
   * cannot decrypt stops start-up; an unreachable or slow WeChat Pay only logs a warning, and the
   * certificates are fetched when first needed. `0` skips the check.
   * @default 5000
   */
  startupTimeout?: number;

  /**
   * `merchant` for an ordinary merchant, `partner` for a service provider calling on behalf of
   * its sub-merchants (`/v3/pay/partner/...`).
   * @default 'merchant'
   */
  mode?: WechatPayMode;

  /** Default sub-merchant number in partner mode; each call may override it. */
  subMchid?: string;

  /** Default sub-merchant AppID in partner mode; each call may override it. */
  subAppid?: string;

  /**
   * Default `notify_url` for payments and refunds: an https URL WeChat Pay can reach.
   * @example 'https://shop.example.com/wechatpay/notify'
   */
  notifyUrl?: string;

  /**
   * Default `notify_url` of refunds, when refund results go to their own handler.
   * @default notifyUrl
   * @example 'https://shop.example.com/wechatpay/refund-notify'
   */
  refundNotifyUrl?: string;

  /**
   * Where handled notifications are remembered, so each event's handler runs once. Share one
   * store (e.g. `RedisIdempotencyStore`) between every instance that receives notifications.
   * @default a `MemoryIdempotencyStore` per registration
   */
  idempotencyStore?: IdempotencyStore;

  /**
   * How long one delivery holds an event without renewal (ms). The lease is renewed while the
   * handler runs, up to `notificationHandlerTimeoutMs`; after a crash the event is free again
   * this long after the last renewal.
   * @default 60000
   */
  notificationLeaseMs?: number;

  /**
   * How long a handled event is remembered (ms); WeChat Pay retries for about 24 h.
   * @default 172800000 (48 h)
   */
  notificationDoneTtlMs?: number;

  /**
   * How long a notification handler may run before it is taken for hung (ms). Its lease is
   * renewed only until then; the delivery is then answered with a failure, the lease lapses
   * within `notificationLeaseMs`, and a later delivery runs the handler again.
   * @default 300000 (5 min)
   */
  notificationHandlerTimeoutMs?: number;

  /**
   * Deadline of each idempotency store call (ms). A delivery whose claim runs out is answered
   * with a 503, so WeChat Pay delivers it again; WeChat Pay waits about 5 s for an answer.
   * @default 2000
   */
  notificationStoreTimeoutMs?: number;

  /**
   * The merchant API certificate (`apiclient_cert.pem`) as PEM text, for API v2 calls that need
   * the client certificate (`/secapi/*`: refund, reverse; fund-flow bills). Its key is
   * `privateKey` unless `clientKey` is given.
   */
  clientCert?: string | Buffer;

  /** Path of `apiclient_cert.pem`. */
  clientCertPath?: string;

  /** The client certificate's private key, when it is not `privateKey`. */
  clientKey?: string | Buffer;

  /** Path of the client certificate's private key, when it is not `privateKeyPath`. */
  clientKeyPath?: string;

  /** The client certificate as PKCS#12 (`apiclient_cert.p12`) instead of PEM. */
  pfx?: Buffer;

  /** Path of `apiclient_cert.p12`. */
  pfxPath?: string;

  /**
   * Passphrase of the PKCS#12 file.
   * @default the mchid, as WeChat Pay issues them
   */
  pfxPassphrase?: string;

  /**
   * API v2 sandbox (仿真测试系统): fetch a sandbox sign key and call the sandbox paths.
   * @default false
   */
  sandbox?: boolean;

  /**
   * Extra CA certificates to trust (PEM), for a private test server such as the simulator's
   * HTTPS listener. WeChat Pay itself never needs this.
   */
  tlsCa?: string | Buffer;
}
