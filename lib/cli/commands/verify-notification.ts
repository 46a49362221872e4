import {
  WechatPayDecryptError,
  WechatPayError,
  WechatPayNotificationError,
  WechatPaySignatureError,
} from '../../core/errors.js';
import { describeError } from '../../core/notify/lease-renewer.js';
import type { VerifiedNotification } from '../../core/notify/notification.types.js';
import { assertFreshTimestamp, readSignedHeaders } from '../../core/v3/signed-headers.js';
import type { WechatPayClient } from '../../core/wechatpay-client.js';
import { type CliCommand, report, stringValue } from '../command.js';
import { MERCHANT_CLI_HELP, MERCHANT_CLI_OPTIONS, merchantClient } from '../merchant-env.js';
import { parseHeaderFile, readNamedFile } from './notification-files.js';

/** The check a notification failed, in the order they run. */
type FailedCheck = 'headers' | 'window' | 'serial' | 'signature' | 'decryption' | 'notification';

class CheckFailed extends Error {
  constructor(
    readonly check: FailedCheck,
    message: string,
  ) {
    super(message);
  }
}

/** Runs one check, turning the library's error into the name of the check that failed. */
function step<T>(check: FailedCheck, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof WechatPayError) throw new CheckFailed(check, error.message);
    throw error;
  }
}

/** The failed check the library's error after the signature checks stands for. */
function afterSignature(error: unknown): never {
  if (error instanceof WechatPayDecryptError) throw new CheckFailed('decryption', error.message);
  if (error instanceof WechatPaySignatureError) throw new CheckFailed('signature', error.message);
  if (error instanceof WechatPayNotificationError)
    throw new CheckFailed('notification', error.message);
  throw error;
}

/**
 * The library's own verification, preceded by its first steps run one by one, so the report
 * names the check that failed rather than only the message.
 */
async function verifyV3(
  client: WechatPayClient,
  headers: Record<string, string>,
  body: Buffer,
): Promise<VerifiedNotification> {
  const what = 'the notification';
  const signed = step('headers', () => readSignedHeaders(headers, what));
  step('window', () => assertFreshTimestamp(signed.timestamp, what));
  const key = await client.platformKeys.keyFor(signed.serial).catch((error: unknown) => {
    // A merchant whose certificates cannot be downloaded: the serial cannot be checked.
    throw new CheckFailed('serial', describeError(error));
  });
  if (!key) {
    throw new CheckFailed(
      'serial',
      `Wechatpay-Serial ${signed.serial} names no key of this merchant; known: ${client.platformKeys.knownSerials.join(', ') || 'none'}`,
    );
  }
  return client.verifyNotification(headers, body).catch(afterSignature);
}

/** What is printed of a verified notification: the envelope, and the payload only if asked. */
function summaryOf(verified: VerifiedNotification, showPayload: boolean): Record<string, unknown> {
  const summary: Record<string, unknown> = {
    ok: true,
    version: verified.version,
    id: verified.id,
    envelope: verified.envelope,
  };
  if (showPayload) summary.payload = verified.payload;
  return summary;
}

/** `nestjs-wechatpay verify-notification`: why a captured notification is (not) accepted. */
export const VERIFY_NOTIFICATION_COMMAND: CliCommand = {
  name: 'verify-notification',
  summary: 'check a captured notification (headers + body files) and print why it fails',
  usage:
    'verify-notification --headers <file> --body <file> [--show-payload] [--env-file <file>] [--env-prefix <prefix>] [--json]',
  help: `Runs the library's verification on a notification captured from a request: the signature
headers, the 300 s timestamp window, the serial (a platform certificate downloaded now, or the
configured WeChat Pay public key), the signature over the exact body bytes, the decryption with
the APIv3 key and the merchant the notification is for. API v2 (XML) bodies are checked with
the API v2 key. Prints the first check that fails (exit 1), or the event (exit 0).
  --headers <file>      the request headers: a JSON object, or "Name: value" lines
  --body <file>         the request body, byte for byte as received
  --show-payload        also print the decrypted payload (it holds the payer's openid)
${MERCHANT_CLI_HELP}`,
  options: {
    ...MERCHANT_CLI_OPTIONS,
    headers: { type: 'string' },
    body: { type: 'string' },
    'show-payload': { type: 'boolean' },
  },
  async run(values, io) {
    const body = readNamedFile(io.cwd, 'body', stringValue(values, 'body'));
    const isV2 = body.toString('utf8', 0, 64).trimStart().startsWith('<');
    const headers = isV2
      ? {}
      : parseHeaderFile(
          readNamedFile(io.cwd, 'headers', stringValue(values, 'headers')).toString('utf8'),
        );
    const client = merchantClient(values, io);
    try {
      const verified = isV2
        ? await client.verifyV2Notification(body).catch(afterSignature)
        : await verifyV3(client, headers, body);
      const summary = summaryOf(verified, values['show-payload'] === true);
      report(io, values, summary, () =>
        [
          `OK: ${verified.envelope.event_type} notification ${verified.id} verified and decrypted.`,
          ...Object.entries(verified.envelope)
            .filter(([name]) => name !== 'resource')
            .map(([name, value]) => `  ${name}: ${String(value)}`),
          ...(summary.payload ? [`  payload: ${JSON.stringify(summary.payload)}`] : []),
          '',
        ].join('\n'),
      );
      return 0;
    } catch (error) {
      if (!(error instanceof CheckFailed)) throw error;
      report(io, values, { ok: false, check: error.check, reason: error.message }, () =>
        [`FAILED (${error.check}): ${error.message}`, ''].join('\n'),
      );
      return 1;
    } finally {
      client.close();
    }
  },
};
