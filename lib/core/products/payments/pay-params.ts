import type { KeyObject } from 'node:crypto';
import { generateNonce, unixSeconds } from '../../crypto/nonce.js';
import { buildV3Message, signV3Message } from '../../crypto/rsa-sign.js';
import type { AppPayParams, JsapiPayParams } from './payments.types.js';

/**
 * JSAPI / mini program payment parameters: `paySign` signs
 * `appId\ntimeStamp\nnonceStr\npackage\n` with the merchant key (signType RSA).
 */
export function buildJsapiPayParams(
  appId: string,
  prepayId: string,
  privateKey: KeyObject,
): JsapiPayParams {
  const timeStamp = String(unixSeconds());
  const nonceStr = generateNonce();
  const pkg = `prepay_id=${prepayId}`;
  return {
    appId,
    timeStamp,
    nonceStr,
    package: pkg,
    signType: 'RSA',
    paySign: signV3Message(buildV3Message(appId, timeStamp, nonceStr, pkg), privateKey),
  };
}

/**
 * App payment parameters: `sign` signs `appid\ntimestamp\nnoncestr\nprepayid\n`;
 * `partnerid` is the merchant number (the sub-merchant's in partner mode).
 */
export function buildAppPayParams(
  appid: string,
  partnerid: string,
  prepayid: string,
  privateKey: KeyObject,
): AppPayParams {
  const timestamp = String(unixSeconds());
  const noncestr = generateNonce();
  return {
    appid,
    partnerid,
    prepayid,
    package: 'Sign=WXPay',
    noncestr,
    timestamp,
    sign: signV3Message(buildV3Message(appid, timestamp, noncestr, prepayid), privateKey),
  };
}
