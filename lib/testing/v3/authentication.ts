import type { IncomingMessage } from 'node:http';
import { unixSeconds } from '../../core/crypto/nonce.js';
import { buildV3Message, verifyV3Message } from '../../core/crypto/rsa-sign.js';
import type { SimulatorMerchants } from '../merchants.js';
import { SimulatorError } from './answers.js';

/**
 * Checks the merchant's Authorization header exactly as WeChat Pay does.
 * @returns the mchid it proves
 */
export function authenticateV3(
  req: IncomingMessage,
  body: Buffer,
  merchants: SimulatorMerchants,
): string {
  const header = req.headers.authorization ?? '';
  const fail = (why: string): never => {
    throw new SimulatorError(401, 'SIGN_ERROR', `签名错误 (${why})`);
  };
  if (!header.startsWith('WECHATPAY2-SHA256-RSA2048 '))
    fail('Authorization must use WECHATPAY2-SHA256-RSA2048');
  const fields: Record<string, string | undefined> = {};
  for (const [, name, value] of header.matchAll(/(\w+)="([^"]*)"/g)) fields[name!] = value;
  const merchant = merchants.get(fields.mchid);
  if (!merchant) return fail(`unknown mchid ${fields.mchid}`);
  if (fields.serial_no?.toUpperCase() !== merchant.serialNo)
    fail('serial_no is not the merchant certificate serial');
  const timestamp = Number(fields.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(unixSeconds() - timestamp) >= 300)
    fail('timestamp expired');
  const message = buildV3Message(
    req.method ?? 'GET',
    req.url ?? '/',
    fields.timestamp ?? '',
    fields.nonce_str ?? '',
    body.toString('utf8'),
  );
  if (!verifyV3Message(message, fields.signature ?? '', merchant.publicKey))
    fail('signature does not verify');
  return merchant.mchid;
}
