import type { SimulatorListener } from './faults.js';
import type { SimulatorVerification } from './keys/platform-keys.js';
import type { SimulatorNotifierOptions } from './notifications/notifier.js';
import type { TestMerchant } from './test-merchant.js';

/** One request the simulator received. */
export interface SimulatorRequestRecord {
  listener: SimulatorListener;
  method: string;
  path: string;
  status: number;
  /** When the request arrived. */
  at: Date;
  mchid?: string;
  /** The `Wechatpay-Serial` header sent: the key sensitive fields were encrypted for. */
  wechatpaySerial?: string;
}

/** Options of `WechatPaySimulator`. */
export interface WechatPaySimulatorOptions {
  /**
   * The merchant the simulator knows; more can be added with `addMerchant`.
   * @default a freshly generated `createTestMerchant()`
   */
  merchant?: TestMerchant;
  /**
   * `certificate`: platform certificates from `/v3/certificates`; `publicKey`: a WeChat Pay
   * public key (`PUB_KEY_ID_…`) and `/v3/certificates` answers 404, as for new merchants;
   * `both`: merchants in migration, signing with the certificate until `signWith('publicKey')`.
   * @default 'certificate'
   */
  verification?: SimulatorVerification;
  /**
   * Fixed ports on 127.0.0.1, per listener (`primary`, `backup`, `secure`); a listener left out,
   * or given 0, takes a free port.
   * @default {} (free ports)
   * @example { primary: 8360, secure: 8361 }
   */
  ports?: Partial<Record<SimulatorListener, number>>;
  /** Start a second listener that acts as the backup domain. @default true */
  backup?: boolean;
  /** Largest request body accepted; room for the largest media upload (5 MB videos). @default 6 MiB */
  maxBodyBytes?: number;
  /**
   * Also start an HTTPS listener that asks for client certificates, as API v2's `/secapi/*`
   * endpoints need. The simulator's own CA issues the TLS certificate and a client certificate
   * for each merchant known at `start()`. Use `moduleOptions({ https: true })` to call it.
   * @default false
   */
  https?: boolean;
  /** How refunds progress. */
  refunds?: {
    /**
     * Settle every refund (PROCESSING → SUCCESS, then its notification) this many milliseconds
     * after it is accepted, as WeChat Pay does by itself; leave it out to settle refunds only
     * with `completeRefund()`, which lets a test decide the outcome.
     * @default undefined: refunds stay PROCESSING until `completeRefund()`
     * @example { settleAfterMs: 500 }
     */
    settleAfterMs?: number;
  };
  /** How profit sharing (分账) progresses. */
  profitSharing?: {
    /**
     * Finish every split and unfreeze (PROCESSING → FINISHED, each receiver SUCCESS, then the
     * receivers' notifications) this many milliseconds after it is accepted, as WeChat Pay does
     * by itself; leave it out to finish them only with `finishProfitSharing()`.
     * @default undefined: splits stay PROCESSING until `finishProfitSharing()`
     * @example { finishAfterMs: 200 }
     */
    finishAfterMs?: number;
  };
  /** How transfers (商家转账) progress. */
  transfers?: {
    /**
     * A transfer the user has not confirmed is closed (CANCELLED, and notified) this many
     * milliseconds after it was created, as WeChat Pay does after 24 hours; `expireTransfer()`
     * closes one at once.
     * @default 86400000 (24 hours)
     */
    expireAfterMs?: number;
    /**
     * Answer creates ACCEPTED, without `package_info`, and move the transfer on to
     * WAIT_USER_CONFIRM this many milliseconds later, as WeChat Pay does while it locks the
     * funds: the merchant re-sends the create with the same `out_bill_no` to get `package_info`.
     * @default undefined: WAIT_USER_CONFIRM at once
     */
    acceptedForMs?: number;
  };
  /** How payment and refund notifications are delivered. */
  notifications?: SimulatorNotifierOptions & {
    /**
     * Deliver a notification by itself when an order is paid or a refund settles, and redeliver
     * it on failure following WeChat Pay's schedule.
     * @default true
     */
    autoDeliver?: boolean;
  };
}
