import type { KeyObject } from 'node:crypto';
import { fromEnv, option } from '../option-declaration.js';
import { byteLength, keyInput, path, pattern, string } from '../option-rules.js';

/** The API v3 credentials, and the key that verifies WeChat Pay's answers. */
export const API_V3_OPTIONS = {
  /**
   * Merchant API certificate serial: `openssl x509 -in apiclient_cert.pem -noout -serial`.
   *
   * The 商户API证书序列号, in hex.
   * @example '5157F09EFDC096DE15EBE81A47057A7232F1B8E1'
   */
  serialNo: option<string>()({
    env: fromEnv.text('WECHATPAY_SERIAL_NO'),
    rules: [
      string('must be a string: the merchant API certificate serial'),
      pattern(
        /^[0-9A-Fa-f]+$/,
        'must be the merchant API certificate serial in hex; `openssl x509 -in apiclient_cert.pem -noout -serial` prints it',
      ),
    ],
  }),

  /**
   * PEM text of `apiclient_key.pem` (`\n` escapes allowed in the variable) or a `KeyObject`.
   *
   * The merchant API private key. Mutually exclusive with `privateKeyPath`.
   */
  privateKey: option<string | Buffer | KeyObject>()({
    env: fromEnv.pem('WECHATPAY_PRIVATE_KEY'),
    secret: true,
    rules: [
      keyInput('must be the PEM text of apiclient_key.pem (a string or Buffer) or a KeyObject'),
    ],
  }),

  /**
   * Path of `apiclient_key.pem`, read once at start-up.
   * @example '/run/secrets/apiclient_key.pem'
   */
  privateKeyPath: option<string>()({
    env: fromEnv.text('WECHATPAY_PRIVATE_KEY_PATH'),
    rules: path('apiclient_key.pem'),
  }),

  /** APIv3 key (APIv3密钥), exactly 32 bytes. Decrypts notifications and certificates. */
  apiV3Key: option<string>()({
    env: fromEnv.text('WECHATPAY_API_V3_KEY'),
    secret: true,
    rules: [
      string('must be a string: the 32-byte APIv3 key'),
      byteLength(
        32,
        'must be exactly 32 bytes: copy the APIv3 key (APIv3密钥) set in the merchant platform under 账户中心 → API安全',
      ),
    ],
  }),

  /**
   * WeChat Pay public key (微信支付公钥, `pub_key.pem`), for public-key verification.
   *
   * For merchants that verify with a public key instead of platform certificates. Mutually exclusive with `platformPublicKeyPath`; needs `platformPublicKeyId`.
   */
  platformPublicKey: option<string | Buffer | KeyObject>()({
    env: fromEnv.pem('WECHATPAY_PUBLIC_KEY'),
    rules: [
      keyInput('must be the PEM text of the WeChat Pay public key (pub_key.pem) or a KeyObject'),
    ],
  }),

  /** Path of the WeChat Pay public key file `pub_key.pem`. */
  platformPublicKeyPath: option<string>()({
    env: fromEnv.text('WECHATPAY_PUBLIC_KEY_PATH'),
    rules: path('pub_key.pem'),
  }),

  /**
   * Id of the WeChat Pay public key, `PUB_KEY_ID_…`, as WeChat Pay sends it in `Wechatpay-Serial`.
   * @example 'PUB_KEY_ID_0114232134912410000000000000'
   */
  platformPublicKeyId: option<string>()({
    env: fromEnv.text('WECHATPAY_PUBLIC_KEY_ID'),
    copy: true,
    rules: [
      string('must be a string starting PUB_KEY_ID_'),
      pattern(
        /^PUB_KEY_ID_\w+$/,
        'must be the WeChat Pay public key id shown next to the key, starting PUB_KEY_ID_',
      ),
    ],
  }),
};
