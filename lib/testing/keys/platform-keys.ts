import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { encryptResource } from '../../core/crypto/aes-gcm.js';
import { generateNonce, unixSeconds } from '../../core/crypto/nonce.js';
import { decryptSensitive } from '../../core/crypto/rsa-oaep.js';
import { signedMessage } from '../../core/v3/signed-headers.js';
import { createPlatformCertificate, type PlatformCertificate } from './platform-certificate.js';

/** How the simulated WeChat Pay signs, and which verification material it offers. */
export type SimulatorVerification = 'certificate' | 'publicKey' | 'both';

/** One entry of `/v3/certificates`, its certificate encrypted with the caller's APIv3 key. */
export interface EncryptedCertificate {
  serial_no: string;
  effective_time: string;
  expire_time: string;
  encrypt_certificate: ReturnType<typeof encryptResource>;
}

/**
 * WeChat Pay's own keys: the platform certificates (rotated by tests), the WeChat Pay public key
 * (`PUB_KEY_ID_…`), and which of them signs answers and notifications now.
 */
export class PlatformKeys {
  private certificates: PlatformCertificate[] = [];
  private readonly publicKeyPair: { id: string; privateKey: KeyObject; publicKey: KeyObject };
  private signer: 'certificate' | 'publicKey';

  constructor(readonly verification: SimulatorVerification) {
    this.signer = verification === 'publicKey' ? 'publicKey' : 'certificate';
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.publicKeyPair = {
      id: `PUB_KEY_ID_01${Array.from({ length: 26 }, () => Math.floor(Math.random() * 10)).join('')}`,
      ...pair,
    };
  }

  /** Issues the first platform certificate (needs @peculiar/x509, loaded now). */
  async start(): Promise<void> {
    this.certificates = [await createPlatformCertificate()];
  }

  /** Issues a new platform certificate that signs from now on; @returns its serial. */
  async rotate(keepOld: boolean): Promise<string> {
    const next = await createPlatformCertificate();
    this.certificates = keepOld ? [...this.certificates, next] : [next];
    return next.serial;
  }

  /** Chooses what signs from now on (modes `both` and `publicKey`). */
  signWith(source: 'certificate' | 'publicKey'): void {
    if (source === 'publicKey' && this.verification === 'certificate') {
      throw new Error(
        "the simulator was started with verification: 'certificate'; use 'both' to sign with the public key",
      );
    }
    this.signer = source;
  }

  /** The platform certificate that signs now. */
  currentCertificate(): PlatformCertificate {
    const cert = this.certificates.at(-1);
    if (!cert) throw new Error('simulator: call start() first');
    return cert;
  }

  /** The platform certificates, oldest first (the last one signs): serials and validity only. */
  certificateList(): { serial: string; notBefore: Date; notAfter: Date }[] {
    return this.certificates.map(({ serial, notBefore, notAfter }) => ({
      serial,
      notBefore,
      notAfter,
    }));
  }

  /** Whether answers are signed with the certificate or the WeChat Pay public key now. */
  get signingWith(): 'certificate' | 'publicKey' {
    return this.signer;
  }

  /** The WeChat Pay public key id (`PUB_KEY_ID_…`). */
  get publicKeyId(): string {
    return this.publicKeyPair.id;
  }

  /** The WeChat Pay public key, as `pub_key.pem` holds it. */
  get publicKeyPem(): string {
    return this.publicKeyPair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  /** The `Wechatpay-*` headers of `body` signed at `timestamp` with the current key. */
  signMessage(body: string | Buffer, timestamp: number = unixSeconds()): Record<string, string> {
    const nonce = generateNonce();
    const { serial, key } = this.signingKey();
    const message = signedMessage(String(timestamp), nonce, Buffer.from(body));
    return {
      'Wechatpay-Timestamp': String(timestamp),
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Serial': serial,
      'Wechatpay-Signature': sign('sha256', message, key).toString('base64'),
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    };
  }

  /** Whether `serial` names one of the simulator's certificates or its public key. */
  hasSerial(serial: string): boolean {
    return serial === this.publicKeyPair.id || this.certificates.some((c) => c.serial === serial);
  }

  /** Decrypts a sensitive field with the private key of the certificate or public key `serial`. */
  decryptSensitive(ciphertext: string, serial: string): string {
    const key =
      serial === this.publicKeyPair.id
        ? this.publicKeyPair.privateKey
        : this.certificates.find((c) => c.serial === serial)?.privateKey;
    if (!key) throw new Error(`simulator: no key with serial ${serial}`);
    return decryptSensitive(ciphertext, key);
  }

  /** `/v3/certificates`' list, each certificate encrypted with `apiV3Key`. */
  encryptedCertificates(apiV3Key: string): EncryptedCertificate[] {
    return this.certificates.map((cert) => ({
      serial_no: cert.serial,
      effective_time: cert.notBefore.toISOString(),
      expire_time: cert.notAfter.toISOString(),
      encrypt_certificate: encryptResource(cert.pem, apiV3Key, { associatedData: 'certificate' }),
    }));
  }

  private signingKey(): { serial: string; key: KeyObject } {
    if (this.signer === 'publicKey')
      return { serial: this.publicKeyPair.id, key: this.publicKeyPair.privateKey };
    const cert = this.currentCertificate();
    return { serial: cert.serial, key: cert.privateKey };
  }
}
