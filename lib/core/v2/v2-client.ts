import type { WechatPayConfig } from '../config/resolve-config.js';
import { generateNonce } from '../crypto/nonce.js';
import { signV2, type V2SignType, verifyV2 } from '../crypto/v2-sign.js';
import { WechatPayApiError, WechatPayError, WechatPaySignatureError } from '../errors.js';
import { HttpTransport, type TransportResponse } from '../http/transport.js';
import { decisionForUnusableAnswer } from '../retry-decision.js';
import { type AttemptObserver, observeCall } from '../telemetry/call-telemetry.js';
import { buildV2Xml, parseV2Xml, type V2Fields } from './xml.js';

/** Options of one API v2 call. */
export interface V2RequestOptions {
  /** Send the merchant client certificate (needed by `/secapi/*` and fund-flow bills). */
  cert?: boolean;
  /** Override the configured sign type for this call. */
  signType?: V2SignType;
  /** The answer is a file (bills): return its text unless it is an `<xml>` error. */
  file?: boolean;
  /**
   * May the request be re-sent to the backup domain after a broken connection?
   * @default true (v2 writes are keyed by out_trade_no / out_refund_no)
   */
  idempotent?: boolean;
}

const SANDBOX_PREFIX = '/xdc/apiv2sandbox';
const SANDBOX_SIGN_KEY_PATH = '/xdc/apiv2getsignkey/sign/getsignkey';

/**
 * API v2 over the shared transport: XML in and out, MD5 or HMAC-SHA256 signatures, the client
 * certificate where needed, answers' signatures checked when present, and `return_code` /
 * `result_code` failures turned into `WechatPayApiError`.
 */
export class WechatPayV2Client {
  private readonly certTransport: HttpTransport | undefined;
  private sandboxKey: Promise<string> | undefined;

  constructor(
    private readonly config: WechatPayConfig,
    private readonly transport: HttpTransport,
    userAgent: string,
  ) {
    const tls = config.clientTls;
    this.certTransport = tls
      ? new HttpTransport({
          domains: config.domains,
          timeout: config.timeout,
          userAgent,
          tls: { ...tls, ca: config.tlsCa },
        })
      : undefined;
  }

  /** The sign type used when a call does not choose one. */
  get signType(): V2SignType {
    return this.config.v2SignType;
  }

  /**
   * Calls an API v2 endpoint.
   * @param path e.g. `/pay/unifiedorder`; the sandbox prefix is added in sandbox mode
   * @param params the request fields; `mch_id`, `nonce_str`, `sign_type` and `sign` are added
   * @throws WechatPayApiError when `return_code` or `result_code` is FAIL
   * @throws WechatPaySignatureError when the answer's `sign` does not verify
   */
  async request(
    path: string,
    params: Record<string, unknown>,
    options: V2RequestOptions = {},
  ): Promise<V2Fields> {
    const answer = await this.call(path, params, options);
    if (typeof answer === 'string')
      throw new WechatPayError(
        `${path} answered a file; use file: true`,
        decisionForUnusableAnswer(options.idempotent ?? true),
      );
    return answer;
  }

  /** Like {@link request}, for endpoints that answer with a file (bills). */
  async requestFile(
    path: string,
    params: Record<string, unknown>,
    options: V2RequestOptions = {},
  ): Promise<string> {
    const answer = await this.call(path, params, { ...options, file: true });
    if (typeof answer !== 'string')
      throw new WechatPayError(
        `${path} answered XML instead of a file`,
        decisionForUnusableAnswer(options.idempotent ?? true),
      );
    return answer;
  }

  /** The key v2 signatures use: the API key, or the sandbox sign key in sandbox mode. */
  signingKey(): Promise<string> {
    const apiKey = this.apiKey();
    if (!this.config.sandbox) return Promise.resolve(apiKey);
    this.sandboxKey ??= this.fetchSandboxKey(apiKey).catch((error: unknown) => {
      this.sandboxKey = undefined;
      throw error;
    });
    return this.sandboxKey;
  }

  private async call(
    path: string,
    params: Record<string, unknown>,
    options: V2RequestOptions,
  ): Promise<V2Fields | string> {
    const signType = options.signType ?? this.config.v2SignType;
    const key = await this.signingKey();
    const fields: Record<string, unknown> = {
      mch_id: this.config.mchid,
      ...params,
      nonce_str: generateNonce(),
      ...(signType === 'MD5' ? {} : { sign_type: signType }),
    };
    fields.sign = signV2(fields, key, signType);
    // v2 paths hold no number: the path (without the sandbox prefix) is its own template.
    return observeCall('v2', 'POST', path, async (observer) => {
      const response = await this.send(this.sandboxed(path), fields, options, observer);
      return this.interpret(path, response, key, signType, options);
    });
  }

  private sandboxed(path: string): string {
    return this.config.sandbox ? SANDBOX_PREFIX + path : path;
  }

  private send(
    path: string,
    fields: Record<string, unknown>,
    options: V2RequestOptions,
    observer: AttemptObserver | undefined,
  ): Promise<TransportResponse> {
    let transport = this.transport;
    if (options.cert) {
      if (!this.certTransport) {
        throw new WechatPayError(
          `${path} needs the merchant client certificate: set clientCertPath (apiclient_cert.pem) or pfxPath (apiclient_cert.p12)`,
        );
      }
      transport = this.certTransport;
    }
    const request = {
      method: 'POST' as const,
      path,
      body: buildV2Xml(fields),
      headers: { 'Content-Type': 'text/xml; charset=utf-8', Accept: 'text/xml' },
      idempotent: options.idempotent ?? true,
      observer,
    };
    // Bills may be large: bounded by waits for data rather than by their total time.
    return options.file ? transport.download(request) : transport.send(request);
  }

  private interpret(
    path: string,
    response: TransportResponse,
    key: string,
    signType: V2SignType,
    options: Pick<V2RequestOptions, 'file' | 'idempotent'>,
  ): V2Fields | string {
    const text = response.body.toString('utf8');
    const idempotent = options.idempotent ?? true;
    if (response.status !== 200) {
      throw new WechatPayApiError({
        status: response.status,
        code: `HTTP_${response.status}`,
        message: `${path} answered HTTP ${response.status}`,
        idempotent,
      });
    }
    if (options.file && !text.trimStart().startsWith('<xml>')) return text;
    const fields = parseAnswer(path, text, idempotent);
    if (fields.return_code !== 'SUCCESS') {
      throw new WechatPayApiError({
        status: response.status,
        code: fields.return_code ?? 'FAIL',
        message: fields.return_msg ?? 'no return_msg',
        detail: fields,
        idempotent,
      });
    }
    if (fields.sign !== undefined && !verifyV2(fields, key, signType)) {
      throw new WechatPaySignatureError(
        `the answer to ${path} has a sign that does not verify: it was altered, or the API key is wrong`,
        decisionForUnusableAnswer(idempotent),
      );
    }
    if (fields.result_code !== undefined && fields.result_code !== 'SUCCESS') {
      throw new WechatPayApiError({
        status: response.status,
        code: fields.err_code ?? 'FAIL',
        message: fields.err_code_des ?? fields.return_msg ?? 'result_code FAIL',
        detail: fields,
        idempotent,
      });
    }
    return fields;
  }

  private async fetchSandboxKey(apiKey: string): Promise<string> {
    const fields: Record<string, unknown> = {
      mch_id: this.config.mchid,
      nonce_str: generateNonce(),
    };
    fields.sign = signV2(fields, apiKey, 'MD5');
    const response = await this.send(SANDBOX_SIGN_KEY_PATH, fields, {}, undefined);
    const answer = this.interpret(SANDBOX_SIGN_KEY_PATH, response, apiKey, 'MD5', {}) as V2Fields;
    if (!answer.sandbox_signkey)
      throw new WechatPayError('the sandbox did not return a sandbox_signkey');
    return answer.sandbox_signkey;
  }

  private apiKey(): string {
    const key = this.config.apiKey;
    if (!key)
      throw new WechatPayError(
        `API v2 is not configured for merchant ${this.config.mchid}: set apiKey (the 32-byte API v2 key)`,
      );
    return key;
  }

  /** Closes idle keep-alive connections. */
  close(): void {
    this.certTransport?.close();
  }
}

/** An answer that is not XML leaves the request's outcome unknown. */
function parseAnswer(path: string, text: string, idempotent: boolean): V2Fields {
  try {
    return parseV2Xml(text);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new WechatPayError(`the answer to ${path} is unusable: ${reason}`, {
      cause,
      ...decisionForUnusableAnswer(idempotent),
    });
  }
}
