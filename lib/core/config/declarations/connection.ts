import type { WechatPayDomainName } from '../../http/domains.js';
import { fromEnv, option } from '../option-declaration.js';
import { domain, domainOrFalse, keyInput, milliseconds } from '../option-rules.js';

/** Where requests go, how long they may take, and whom to trust. */
export const CONNECTION_OPTIONS = {
  /**
   * `CHINA`, `CHINA2`, `HK`, `US`, or a base URL such as the simulator's: where requests go.
   * @default 'CHINA'
   */
  domain: option<WechatPayDomainName | (string & {})>()({
    env: fromEnv.text('WECHATPAY_DOMAIN'),
    default: 'CHINA',
    rules: [domain()],
  }),

  /**
   * Failover target on connection errors and timeouts; `false` turns failover off.
   * @default `CHINA2` for `CHINA` and vice versa, none otherwise
   */
  backupDomain: option<WechatPayDomainName | (string & {}) | false>()({
    env: fromEnv.domainOrFalse('WECHATPAY_BACKUP_DOMAIN'),
    rules: [domainOrFalse()],
  }),

  /**
   * Deadline of each attempt in ms: connecting, sending and the whole answer, however slowly its
   * bytes arrive.
   *
   * A timed-out attempt fails over like a connection error, so a call may take up to twice this. Bill downloads: the deadline covers the headers, then each
   * wait for more data, so a large file may take longer in all as long as it keeps arriving.
   * @default 10000
   */
  timeout: option<number>()({
    env: fromEnv.integer('WECHATPAY_TIMEOUT'),
    default: 10_000,
    copy: true,
    rules: milliseconds({ min: 100, max: 120_000 }),
  }),

  /**
   * How long start-up waits for the platform certificates, in ms; `0` skips the check.
   *
   * Start-up is Nest's `onModuleInit`, or `WechatPayClient.init()`. With platform certificates
   * (no `platformPublicKey`), they are downloaded and decrypted with `apiV3Key`. A list the APIv3
   * key cannot decrypt stops start-up; an unreachable or slow WeChat Pay only logs a warning, and
   * the certificates are fetched when first needed.
   * @default 5000
   */
  startupTimeout: option<number>()({
    env: fromEnv.integer('WECHATPAY_STARTUP_TIMEOUT'),
    default: 5000,
    copy: true,
    rules: milliseconds({ min: 0, max: 60_000, tooLow: 'must be 0 (no start-up check) or more' }),
  }),

  /**
   * Extra CA certificates (PEM) to trust, for a private test server such as the simulator's HTTPS
   * listener.
   *
   * WeChat Pay itself never needs this.
   */
  tlsCa: option<string | Buffer>()({
    env: fromEnv.pem('WECHATPAY_TLS_CA'),
    copy: true,
    rules: [keyInput('must be PEM text of one or more CA certificates')],
  }),
};
