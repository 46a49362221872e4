/** A change made to the next answer after it was signed. */
export interface ResponseTamper {
  /** Change one character of the body (the signature no longer matches). */
  body?: boolean;
  /** Flip one byte of the signature. */
  signature?: boolean;
  /** Sign with a timestamp this many seconds away from now (e.g. -301: stale). */
  timestampOffsetSeconds?: number;
  /** Announce this serial instead of the real one. */
  serial?: string;
}

/** Ways to spoil an on-demand notification, to test that the receiver rejects it. */
export interface NotificationTamper {
  /** Deliver this many identical copies at the same moment. @default 1 */
  copies?: number;
  /** Change the body after signing. */
  tamperBody?: boolean;
  /** Flip one byte of the signature. */
  tamperSignature?: boolean;
  /** Sign with a timestamp this many seconds from now (e.g. -301: stale). */
  timestampOffsetSeconds?: number;
  /** Announce this serial instead of the signing key's. */
  serial?: string;
  /** Send a `WECHATPAY/SIGNTEST/…` probe signature. */
  probe?: boolean;
  /** Leave out one header, e.g. `Wechatpay-Signature`. */
  omitHeader?: string;
  /** Send this body instead of the notification, correctly signed (malformed or oversized bodies). */
  body?: string;
  /** Deliver to this URL instead of the order's `notify_url`. */
  url?: string;
  /** API v2: send this `return_code` (e.g. FAIL). */
  returnCode?: string;
  /** API v2: claim to be for this `mch_id`. */
  mchId?: string;
}

/** Holds the tamper for the next answer; whoever sends that answer takes it, once. */
export class NextResponseTamper {
  private next: ResponseTamper | undefined;

  /** Spoils the next answer (replacing a tamper not used yet). */
  set(tamper: ResponseTamper): void {
    this.next = tamper;
  }

  /** The tamper for the answer being sent now, if any; it is used once. */
  take(): ResponseTamper | undefined {
    const tamper = this.next;
    this.next = undefined;
    return tamper;
  }
}

/** A base64 RSA signature with one byte flipped: well-formed, but it no longer verifies. */
export function flipSignatureByte(signature: string): string {
  const bytes = Buffer.from(signature, 'base64');
  bytes.writeUInt8(bytes.readUInt8(10) ^ 0x01, 10);
  return bytes.toString('base64');
}

/** A v3 JSON answer with its first digit changed (or a lone space for an empty one). */
export function tamperJsonBody(body: string): string {
  return body.length ? body.replace(/\d/, (d) => String((Number(d) + 1) % 10)) + ' ' : ' ';
}

/** A v2 XML answer with a signed value changed: the first digit that starts an element's text. */
export function tamperXmlBody(xml: string): string {
  return xml.replace(/>(\d)/, (_m, d: string) => `>${(Number(d) + 1) % 10}`);
}
