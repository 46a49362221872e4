import type { TestMerchant } from '../test-merchant.js';
import { createSimulatorPki, type SimulatorPki } from './platform-certificate.js';

/**
 * The HTTPS listener's PKI: the simulator's CA, its TLS certificate, and a client certificate
 * (`apiclient_cert.pem`) for each merchant, as API v2's `/secapi/*` endpoints demand.
 */
export class MerchantTls {
  private pki: SimulatorPki | undefined;
  private readonly clientCertificates = new Map<string, string>();

  /** Creates the CA and issues a client certificate to each merchant known now. */
  async start(merchants: Iterable<TestMerchant>): Promise<SimulatorPki> {
    const pki = await createSimulatorPki();
    this.pki = pki;
    for (const merchant of merchants) {
      this.clientCertificates.set(
        merchant.mchid,
        await pki.issueClientCertificate(merchant.mchid, merchant.publicKey),
      );
    }
    return pki;
  }

  /** The CA that issued the HTTPS listener's certificate. */
  get caPem(): string {
    if (!this.pki) throw new Error('simulator: start it with https: true');
    return this.pki.caPem;
  }

  /** The client certificate issued to `mchid`. */
  clientCertificatePem(mchid: string): string {
    const pem = this.clientCertificates.get(mchid);
    if (!pem) throw new Error('simulator: start it with https: true, after adding the merchant');
    return pem;
  }
}
