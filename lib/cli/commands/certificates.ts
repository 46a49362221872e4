import type { PlatformCertificateInfo } from '../../core/v3/platform-key-store.js';
import { type CliCommand, report } from '../command.js';
import { MERCHANT_CLI_HELP, MERCHANT_CLI_OPTIONS, merchantClient } from '../merchant-env.js';

const DAY_MS = 86_400_000;

/** A certificate's validity as of now. */
function statusOf(certificate: PlatformCertificateInfo, now: number) {
  const status =
    now < certificate.validFrom.getTime()
      ? ('not yet valid' as const)
      : now >= certificate.validTo.getTime()
        ? ('expired' as const)
        : ('valid' as const);
  return {
    serial: certificate.serial,
    validFrom: certificate.validFrom.toISOString(),
    validTo: certificate.validTo.toISOString(),
    status,
    daysLeft: Math.floor((certificate.validTo.getTime() - now) / DAY_MS),
  };
}

/** `nestjs-wechatpay certificates`: what the app will verify WeChat Pay with. */
export const CERTIFICATES_COMMAND: CliCommand = {
  name: 'certificates',
  summary: 'download, verify and decrypt the platform certificates; print serials and validity',
  usage: 'certificates [--env-file <file>] [--env-prefix <prefix>] [--json]',
  help: `Downloads GET /v3/certificates as the merchant, checks the answer's signature with the
certificates it carries, decrypts each with the APIv3 key and checks its serial, exactly as the
library does at start-up. Prints each serial and its validity, and the WeChat Pay public key id
when one is configured. Fails (exit 1) when nothing valid can verify WeChat Pay.
${MERCHANT_CLI_HELP}`,
  options: MERCHANT_CLI_OPTIONS,
  async run(values, io) {
    const client = merchantClient(values, io);
    try {
      await client.platformKeys.refresh();
      const now = Date.now();
      const certificates = client.platformKeys.installedCertificates.map((c) => statusOf(c, now));
      const publicKeyId = client.config.platformPublicKeyId;
      const usable = certificates.some((c) => c.status === 'valid') || publicKeyId !== undefined;
      report(io, values, { mchid: client.mchid, certificates, publicKeyId }, () => {
        const lines = [
          `Merchant ${client.mchid}: ${certificates.length} platform certificate(s), answer signature verified, decrypted with the APIv3 key`,
          ...certificates.map(
            (c) =>
              `  ${c.serial}  ${c.validFrom} → ${c.validTo}  ${c.status}${c.status === 'valid' ? `, ${c.daysLeft} days left` : ''}`,
          ),
        ];
        if (publicKeyId) lines.push(`WeChat Pay public key: ${publicKeyId}`);
        if (!usable) lines.push('No valid platform certificate: nothing can verify WeChat Pay.');
        return `${lines.join('\n')}\n`;
      });
      return usable ? 0 : 1;
    } finally {
      client.close();
    }
  },
};
