import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { KeyInput } from '../crypto/keys.js';
import type { WechatPayConfigProblem } from '../errors.js';
import type { WechatPayOptions } from './options.js';
import type { ClientTlsMaterial } from './wechatpay-config.js';

/** Parses a key given as text or read from its `…Path` file; a failure becomes a problem. */
export function loadKey(
  options: WechatPayOptions,
  field: 'privateKey' | 'platformPublicKey',
  pathField: 'privateKeyPath' | 'platformPublicKeyPath',
  parse: (key: KeyInput) => KeyObject,
  problems: WechatPayConfigProblem[],
): KeyObject | undefined {
  const path = options[pathField];
  const input: KeyInput | undefined =
    path === undefined ? options[field] : readOptionFile(options, pathField, problems);
  if (input === undefined) return undefined;
  try {
    return parse(input);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : 'unreadable key';
    const source = path === undefined ? field : pathField;
    const expected =
      field === 'privateKey'
        ? 'the RSA merchant API private key (apiclient_key.pem, "-----BEGIN PRIVATE KEY-----")'
        : 'the RSA WeChat Pay public key (pub_key.pem, "-----BEGIN PUBLIC KEY-----")';
    problems.push({ field: source, message: `${reason}; expected ${expected}` });
    return undefined;
  }
}

/**
 * Reads the client certificate (PEM pair or PKCS#12) and checks it by building a TLS context,
 * so an unreadable file, a wrong passphrase or a PKCS#12 that OpenSSL 3 refuses stops start-up
 * rather than the first refund.
 */
export function loadClientTls(
  options: WechatPayOptions,
  privateKey: KeyObject | undefined,
  problems: WechatPayConfigProblem[],
): ClientTlsMaterial | undefined {
  const read = (field: 'clientCertPath' | 'clientKeyPath' | 'pfxPath') =>
    readOptionFile(options, field, problems);
  const pfx = options.pfx ?? read('pfxPath');
  if (pfx) {
    const material = { pfx, passphrase: options.pfxPassphrase ?? options.mchid };
    try {
      createSecureContext(material);
      return material;
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : '';
      const field = options.pfxPath !== undefined ? 'pfxPath' : 'pfx';
      problems.push({
        field,
        message: /mac verify|password/i.test(reason)
          ? 'the PKCS#12 passphrase is wrong (WeChat Pay sets it to the mchid; set pfxPassphrase otherwise)'
          : /unsupported|legacy|RC2/i.test(reason)
            ? 'OpenSSL 3 cannot read this PKCS#12 (old RC2-40 encryption). Re-export it: openssl pkcs12 -legacy -in apiclient_cert.p12 -nodes -out tmp.pem && openssl pkcs12 -export -in tmp.pem -out apiclient_cert_new.p12; or use the PEM files (clientCertPath)'
            : 'is not a readable PKCS#12 file (apiclient_cert.p12)',
      });
      return undefined;
    }
  }
  const cert = options.clientCert ?? read('clientCertPath');
  if (!cert) return undefined;
  const key =
    options.clientKey ??
    read('clientKeyPath') ??
    privateKey?.export({ type: 'pkcs8', format: 'pem' });
  if (!key) {
    problems.push({
      field: 'clientKey',
      message:
        'the client certificate needs its key: set privateKey (apiclient_key.pem) or clientKey',
    });
    return undefined;
  }
  try {
    createSecureContext({ cert, key });
    return { cert, key };
  } catch {
    problems.push({
      field: options.clientCertPath !== undefined ? 'clientCertPath' : 'clientCert',
      message:
        'is not a PEM certificate matching the key (apiclient_cert.pem with apiclient_key.pem)',
    });
    return undefined;
  }
}

type PathOption =
  'privateKeyPath' | 'platformPublicKeyPath' | 'clientCertPath' | 'clientKeyPath' | 'pfxPath';

/** Reads the file a `…Path` option names, once, at start-up; a failure becomes a problem. */
function readOptionFile(
  options: WechatPayOptions,
  field: PathOption,
  problems: WechatPayConfigProblem[],
): Buffer | undefined {
  const path = options[field];
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'unknown error';
    problems.push({
      field,
      message: `cannot read "${path}" (${code}): check the path and its permissions`,
    });
    return undefined;
  }
}
