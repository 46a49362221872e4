import {
  decisionForAnswer,
  FAILED_FOR_GOOD,
  OUTCOME_UNKNOWN,
  type RetryDecision,
} from './retry-decision.js';

/** Options of a {@link WechatPayError}: the cause, and the retry decision where it is known. */
export interface WechatPayErrorOptions extends ErrorOptions, Partial<RetryDecision> {}

/**
 * Base class of every error this package throws, so callers can catch them all with one
 * `instanceof WechatPayError`. Each one says whether the call may have taken effect and
 * whether the same request may be sent again (see the README's Errors section).
 *
 * Messages never contain a secret (private key, API key, APIv3 key, decrypted payload).
 */
export class WechatPayError extends Error implements RetryDecision {
  /**
   * WeChat Pay may have received and acted on the request: never replace it with a new one
   * (a new out_trade_no / out_refund_no); query its result, or send the same request again.
   * False when nothing was sent or WeChat Pay refused it.
   */
  readonly mayHaveTakenEffect: boolean;
  /**
   * Sending the same request again — unchanged, with the same merchant key (out_trade_no,
   * out_refund_no) — is safe and may succeed. False when it would fail the same way
   * (validation, configuration, a refusal such as ORDERPAID), and for a write without such a
   * key that may have arrived: query its result first.
   */
  readonly retrySafe: boolean;

  constructor(message: string, options: WechatPayErrorOptions = {}) {
    const {
      mayHaveTakenEffect = FAILED_FOR_GOOD.mayHaveTakenEffect,
      retrySafe = FAILED_FOR_GOOD.retrySafe,
      ...errorOptions
    } = options;
    super(message, errorOptions);
    this.name = new.target.name;
    this.mayHaveTakenEffect = mayHaveTakenEffect;
    this.retrySafe = retrySafe;
  }
}

/** One rejected configuration field and what to do about it. */
export interface WechatPayConfigProblem {
  /** The option name, e.g. `apiV3Key`. */
  field: string;
  /**
   * The environment variable the value came from (or, unset, would come from), when the options
   * were read by `wechatPayOptionsFromEnv` and the code did not replace the value.
   */
  env?: string;
  /** What is wrong and how to fix it; never the field's value. */
  message: string;
}

/**
 * The module options are unusable. Thrown while the application starts, before any payment is
 * attempted. `problems` lists every rejected field, so all of them can be fixed in one go.
 */
export class WechatPayConfigError extends WechatPayError {
  /** Every rejected field, with what to do about it. */
  readonly problems: readonly WechatPayConfigProblem[];

  constructor(problems: WechatPayConfigProblem[], options?: ErrorOptions & { merchant?: string }) {
    const who = options?.merchant ? ` for merchant "${options.merchant}"` : '';
    const lines = problems
      .map((p) => `  - ${p.field}${p.env ? ` (${p.env})` : ''}: ${p.message}`)
      .join('\n');
    super(`Invalid WeChat Pay configuration${who}:\n${lines}`, options);
    this.problems = problems;
  }

  /** The names of the rejected fields. */
  get fields(): string[] {
    return this.problems.map((p) => p.field);
  }
}

/**
 * A signature did not verify: a response, a notification or a signed parameter set. For an
 * answer to a call, the request reached WeChat Pay and its outcome is unknown.
 */
export class WechatPaySignatureError extends WechatPayError {
  constructor(message: string, options?: WechatPayErrorOptions) {
    super(message, { ...OUTCOME_UNKNOWN, ...options });
  }
}

/** Ciphertext could not be decrypted or authenticated (wrong key, tampered data, bad encoding). */
export class WechatPayDecryptError extends WechatPayError {}

/** Fields of a {@link WechatPayApiError}. */
export interface WechatPayApiErrorDetails {
  /** HTTP status of the answer (v2 answers carry 200 even for business failures). */
  status: number;
  /** WeChat Pay's error code, e.g. `PARAM_ERROR`, `ORDERPAID` (v2: `err_code` or `return_code`). */
  code: string;
  /** WeChat Pay's message (v2: `err_code_des` or `return_msg`). */
  message: string;
  /** The `detail` object of a v3 error body, when present. */
  detail?: unknown;
  /** The `Request-ID` header: quote it to WeChat Pay support. */
  requestId?: string;
  /** What probably fixes it, appended to the message. */
  hint?: string;
  /**
   * Whether WeChat Pay deduplicates the request (a read, or a write keyed by the merchant's
   * number): when false, an answer that leaves the outcome unknown (5xx, 429, a retry code)
   * says `retrySafe: false`: query the result before sending it again.
   * @default true
   */
  idempotent?: boolean;
}

/**
 * WeChat Pay answered, and the answer is an error. A 5xx, a 429 or a retry code
 * (`SYSTEM_ERROR`, `SYSTEMERROR`, `FREQUENCY_LIMITED`, `BIZERR_NEED_RETRY`, `BANK_ERROR`) leaves
 * the outcome unknown and asks for the same request again (for a request WeChat Pay does not
 * deduplicate, such as v2 micropay: query it first); `USERPAYING` is a code payment under way
 * (query it); any other code is a refusal.
 */
export class WechatPayApiError extends WechatPayError {
  /** HTTP status of the answer. */
  readonly status: number;
  /** WeChat Pay's error code, e.g. `PARAM_ERROR`, `ORDERPAID`. */
  readonly code: string;
  /** The `detail` object of a v3 error body (v2: every field of the answer). */
  readonly detail?: unknown;
  /** The `Request-ID` header: quote it to WeChat Pay support. */
  readonly requestId?: string;

  constructor(details: WechatPayApiErrorDetails, options?: ErrorOptions) {
    const rid = details.requestId ? ` (Request-ID ${details.requestId})` : '';
    const hint = details.hint ? `. ${details.hint}` : '';
    super(
      `WeChat Pay answered ${details.status} ${details.code}: ${details.message}${rid}${hint}`,
      { ...options, ...decisionForAnswer(details.status, details.code, details.idempotent) },
    );
    this.status = details.status;
    this.code = details.code;
    this.detail = details.detail;
    this.requestId = details.requestId;
  }
}

/** Options of a {@link WechatPayNetworkError}. */
export interface WechatPayNetworkErrorOptions extends ErrorOptions {
  /**
   * Whether sending the same request again is safe: true when nothing reached WeChat Pay, or
   * for reads and writes keyed by a merchant-chosen number (out_trade_no, out_refund_no).
   * @default false
   */
  retrySafe?: boolean;
  /**
   * Whether a byte of the request may have reached WeChat Pay (a reset or a timeout rather than
   * a refused connection or a DNS failure).
   * @default true
   */
  mayHaveTakenEffect?: boolean;
}

/**
 * No usable answer: connection refused or reset, DNS failure, TLS failure or timeout. The
 * request may have taken effect unless it never left; `retrySafe` is true when nothing reached
 * WeChat Pay, or for reads and writes keyed by a merchant-chosen number (out_trade_no,
 * out_refund_no), which WeChat Pay deduplicates. When false, query the result before sending
 * the request again.
 */
export class WechatPayNetworkError extends WechatPayError {
  /** The base URLs tried, in order. */
  readonly domains: readonly string[];

  constructor(message: string, domains: string[], options: WechatPayNetworkErrorOptions = {}) {
    const { retrySafe = false, mayHaveTakenEffect = true, ...errorOptions } = options;
    super(message, { ...errorOptions, retrySafe, mayHaveTakenEffect });
    this.domains = domains;
  }
}

/** One rejected field of a request, by its path (`amount.total`). */
export interface WechatPayValidationProblem {
  /** The field's path, e.g. `amount.total`; `(root)` for the request as a whole. */
  field: string;
  /** What is wrong; never the field's value. */
  message: string;
}

/**
 * A request failed validation before anything was sent to WeChat Pay. `problems` lists every
 * rejected field; field values are never quoted.
 */
export class WechatPayValidationError extends WechatPayError {
  /** Every rejected field, by its path. */
  readonly problems: readonly WechatPayValidationProblem[];

  constructor(what: string, problems: WechatPayValidationProblem[]) {
    const lines = problems.map((p) => `  - ${p.field}: ${p.message}`).join('\n');
    super(`Invalid ${what}, nothing was sent:\n${lines}`);
    this.problems = problems;
  }
}

/**
 * A downloaded bill cannot be read: a malformed line, a file that ends before its summary, or a
 * summary that differs from the rows. Download the bill again (`retrySafe`) before trusting it.
 */
export class WechatPayBillError extends WechatPayError {
  constructor(message: string, options?: WechatPayErrorOptions) {
    super(message, { retrySafe: true, ...options });
  }
}

/**
 * A notification is not one WeChat Pay could have sent: malformed JSON or XML, missing fields,
 * an unsupported resource, or one meant for another merchant.
 */
export class WechatPayNotificationError extends WechatPayError {}

/** The idempotency store calls that {@link WechatPayStoreError} reports on. */
export type IdempotencyStoreOperation = 'claim' | 'extend' | 'complete' | 'release';

/**
 * The idempotency store failed, answered something unusable, or did not answer within
 * `notificationStoreTimeoutMs`. A notification that meets it is answered with a failure, so
 * WeChat Pay delivers it again; nothing is acknowledged without its handler having run.
 */
export class WechatPayStoreError extends WechatPayError {
  /** The store call that failed. */
  readonly operation: IdempotencyStoreOperation;
  /** True when the store did not answer in time (it may still act on the call later). */
  readonly timedOut: boolean;

  constructor(
    message: string,
    details: { operation: IdempotencyStoreOperation; timedOut?: boolean },
    options?: ErrorOptions,
  ) {
    super(message, { ...options, ...FAILED_FOR_GOOD });
    this.operation = details.operation;
    this.timedOut = details.timedOut ?? false;
  }
}
