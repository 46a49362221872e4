import type { V2SignType } from '../../crypto/v2-sign.js';
import { fromEnv, option } from '../option-declaration.js';
import { boolean, byteLength, bytes, keyInput, oneOf, path, string } from '../option-rules.js';

/** API v2: its key, its signature type, and the client certificate of `/secapi/*` calls. */
export const API_V2_OPTIONS = {
  /** API v2 key (API密钥), exactly 32 bytes; only for API v2 calls and callbacks. */
  apiKey: option<string>()({
    env: fromEnv.text('WECHATPAY_API_KEY'),
    secret: true,
    rules: [
      string('must be a string: the 32-byte API v2 key'),
      byteLength(
        32,
        'must be exactly 32 bytes: copy the API v2 key (API密钥) set in the merchant platform under 账户中心 → API安全',
      ),
    ],
  }),

  /**
   * Signature type of API v2 requests and client parameters: `MD5` or `HMAC-SHA256`.
   * @default 'MD5'
   */
  v2SignType: option<V2SignType>()({
    env: fromEnv.oneOf<V2SignType>('WECHATPAY_V2_SIGN_TYPE'),
    default: 'MD5',
    copy: true,
    rules: [oneOf(['MD5', 'HMAC-SHA256'], 'must be MD5 or HMAC-SHA256')],
  }),

  /**
   * PEM text of `apiclient_cert.pem`, the client certificate of API v2 `/secapi/*` calls and
   * fund-flow bills.
   *
   * `/secapi/*` are refund and reverse. Its key is `privateKey` unless `clientKey` is given.
   */
  clientCert: option<string | Buffer>()({
    env: fromEnv.pem('WECHATPAY_CLIENT_CERT'),
    rules: [keyInput('must be the PEM text of apiclient_cert.pem')],
  }),

  /** Path of `apiclient_cert.pem`. */
  clientCertPath: option<string>()({
    env: fromEnv.text('WECHATPAY_CLIENT_CERT_PATH'),
    rules: path('apiclient_cert.pem'),
  }),

  /** PEM text of the client certificate's key, when it is not `privateKey`. */
  clientKey: option<string | Buffer>()({
    env: fromEnv.pem('WECHATPAY_CLIENT_KEY'),
    secret: true,
    rules: [keyInput('must be the PEM text of the client certificate key')],
  }),

  /** Path of the client certificate's key, when it is not `privateKeyPath`. */
  clientKeyPath: option<string>()({
    env: fromEnv.text('WECHATPAY_CLIENT_KEY_PATH'),
    rules: path('the client certificate key'),
  }),

  /** The client certificate as PKCS#12 bytes (`apiclient_cert.p12`), instead of PEM. */
  pfx: option<Buffer>()({
    secret: true,
    rules: [bytes('must be the bytes of apiclient_cert.p12 (a Buffer); or use pfxPath')],
  }),

  /** Path of `apiclient_cert.p12`. */
  pfxPath: option<string>()({
    env: fromEnv.text('WECHATPAY_PFX_PATH'),
    rules: path('apiclient_cert.p12'),
  }),

  /**
   * Passphrase of the PKCS#12 file.
   * @default the `mchid`, as WeChat Pay issues them
   */
  pfxPassphrase: option<string>()({
    env: fromEnv.text('WECHATPAY_PFX_PASSPHRASE'),
    secret: true,
    rules: [string('must be a string (by default the mchid)')],
  }),

  /**
   * `true` for the API v2 sandbox (仿真测试系统).
   *
   * The client then fetches a sandbox sign key and calls the sandbox paths.
   * @default false
   */
  sandbox: option<boolean>()({
    env: fromEnv.boolean('WECHATPAY_SANDBOX'),
    default: false,
    copy: true,
    rules: [boolean('must be true or false')],
  }),
};
