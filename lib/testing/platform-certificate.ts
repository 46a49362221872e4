// @peculiar/x509 builds on tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** A WeChat Pay platform certificate the simulator signs with, and its private key. */
export interface PlatformCertificate {
  /** Upper-case hex serial, as `Wechatpay-Serial` carries it. */
  serial: string;
  pem: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
}

const RSA_SHA256 = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

/** Creates a self-signed RSA-2048 certificate like WeChat Pay's platform certificates. */
export async function createPlatformCertificate(
  commonName = 'Tenpay.com Root CA (simulator)',
  validDays = 5 * 365,
): Promise<PlatformCertificate> {
  const keys = await webcrypto.subtle.generateKey(RSA_SHA256, true, ['sign', 'verify']);
  // WeChat Pay serials are 40 hex digits; a leading 0x01..0x7f byte keeps the number positive.
  const serial =
    ((randomBytes(1)[0]! % 0x7f) + 1).toString(16).padStart(2, '0') +
    randomBytes(19).toString('hex');
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + validDays * 86_400_000);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial,
      name: `CN=${commonName}, O=Tenpay.com, C=CN`,
      notBefore,
      notAfter,
      signingAlgorithm: RSA_SHA256,
      keys,
    },
    webcrypto,
  );
  return {
    serial: serial.toUpperCase(),
    pem: certificate.toString('pem'),
    privateKey: KeyObject.from(keys.privateKey),
    publicKey: KeyObject.from(keys.publicKey),
    notBefore,
    notAfter,
  };
}
