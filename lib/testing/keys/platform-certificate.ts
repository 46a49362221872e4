// @peculiar/x509 builds on tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import { KeyObject, randomBytes, webcrypto } from 'node:crypto';
import type { Extension } from '@peculiar/x509';

type X509 = typeof import('@peculiar/x509');
let x509Module: Promise<X509> | undefined;

/**
 * Loads @peculiar/x509 on first use. It is an optional peer dependency, so that production apps,
 * which never start a simulator, do not install it; loading it lazily (not with a top-level
 * await) keeps `nestjs-wechatpay/testing` loadable by `require()` as well.
 */
function loadX509(): Promise<X509> {
  x509Module ??= import('@peculiar/x509').catch((error: unknown) => {
    x509Module = undefined;
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (code === 'ERR_MODULE_NOT_FOUND' && String(message).includes("'@peculiar/x509'")) {
      throw new Error(
        'WechatPaySimulator creates its certificates with @peculiar/x509, which is not installed: npm install --save-dev @peculiar/x509',
        { cause: error },
      );
    }
    throw error;
  });
  return x509Module;
}

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
  const x509 = await loadX509();
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

/** A small certificate authority for the simulator's HTTPS listener and client certificates. */
export interface SimulatorPki {
  /** The CA certificate clients must trust (the `tlsCa` module option). */
  caPem: string;
  /** The HTTPS listener's certificate (for 127.0.0.1 and localhost) and key. */
  serverCertPem: string;
  serverKeyPem: string;
  /** Issues a client certificate (`apiclient_cert.pem`) for a merchant's RSA public key. */
  issueClientCertificate(mchid: string, publicKey: KeyObject): Promise<string>;
}

const subtle = webcrypto.subtle;
// @peculiar/x509 types its provider as the DOM `Crypto`, which Node's types do not declare.
const cryptoProvider = webcrypto as unknown as never;

/** Creates the simulator's CA, and the HTTPS listener's certificate signed by it. */
export async function createSimulatorPki(): Promise<SimulatorPki> {
  const x509 = await loadX509();
  const caKeys = await subtle.generateKey(RSA_SHA256, true, ['sign', 'verify']);
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + 365 * 86_400_000);
  const caName = 'CN=WechatPaySimulator CA (tests only), O=nestjs-wechatpay';
  const ca = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: '01',
      name: caName,
      notBefore,
      notAfter,
      signingAlgorithm: RSA_SHA256,
      keys: caKeys,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
      ],
    },
    cryptoProvider,
  );
  const issue = async (
    subject: string,
    publicKey: webcrypto.CryptoKey,
    extensions: Extension[],
  ): Promise<string> => {
    const cert = await x509.X509CertificateGenerator.create(
      {
        serialNumber: randomBytes(16)
          .toString('hex')
          .replace(/^[89a-f]/, '1'),
        subject,
        issuer: caName,
        notBefore,
        notAfter,
        signingAlgorithm: RSA_SHA256,
        publicKey,
        signingKey: caKeys.privateKey,
        extensions,
      },
      cryptoProvider,
    );
    return cert.toString('pem');
  };
  const serverKeys = await subtle.generateKey(RSA_SHA256, true, ['sign', 'verify']);
  const serverCertPem = await issue('CN=127.0.0.1', serverKeys.publicKey, [
    new x509.SubjectAlternativeNameExtension([
      { type: 'ip', value: '127.0.0.1' },
      { type: 'dns', value: 'localhost' },
    ]),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
  ]);
  return {
    caPem: ca.toString('pem'),
    serverCertPem,
    serverKeyPem: KeyObject.from(serverKeys.privateKey)
      .export({ type: 'pkcs8', format: 'pem' })
      .toString(),
    issueClientCertificate: async (mchid, publicKey) => {
      const spki = publicKey.export({ type: 'spki', format: 'der' });
      const key = await subtle.importKey('spki', spki, RSA_SHA256, true, ['verify']);
      return issue(`CN=${mchid}, O=WechatPay simulator merchant`, key, [
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
      ]);
    },
  };
}
