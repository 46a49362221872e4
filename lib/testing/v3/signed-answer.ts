import type { ServerResponse } from 'node:http';
import { generateNonce, unixSeconds } from '../../core/crypto/nonce.js';
import type { TrickleFault } from '../faults.js';
import { write } from '../http/io.js';
import type { PlatformKeys } from '../keys/platform-keys.js';
import { flipSignatureByte, type NextResponseTamper, tamperJsonBody } from '../tampering.js';
import type { SimulatorAnswer } from './answers.js';

/**
 * Signs and sends an API v3 answer, spoiled by `tamper` after signing if a test asked for it.
 * Bill files go unsigned, as WeChat Pay sends them, and leave the tamper for the next answer.
 */
export function sendV3Answer(
  res: ServerResponse,
  answer: SimulatorAnswer,
  keys: PlatformKeys,
  tampers: NextResponseTamper,
  pace: TrickleFault | undefined,
): void {
  if (answer.file) {
    const type = answer.contentType ?? 'application/octet-stream';
    write(res, answer.status, { 'Content-Type': type }, answer.file, pace);
    return;
  }
  let body = answer.body === undefined ? '' : JSON.stringify(answer.body);
  const tamper = tampers.take();
  const signed = keys.signMessage(body, unixSeconds() + (tamper?.timestampOffsetSeconds ?? 0));
  let signature = signed['Wechatpay-Signature']!;
  if (tamper?.body) body = tamperJsonBody(body);
  if (tamper?.signature) signature = flipSignatureByte(signature);
  const headers: Record<string, string> = {
    'Request-ID': `08${generateNonce()}`,
    ...signed,
    'Wechatpay-Signature': signature,
    ...(tamper?.serial ? { 'Wechatpay-Serial': tamper.serial } : {}),
  };
  if (body) headers['Content-Type'] = 'application/json; charset=utf-8';
  write(res, answer.status, headers, body, pace);
}
