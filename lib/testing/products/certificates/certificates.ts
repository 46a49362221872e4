import type { V3Route } from '../../v3/answers.js';
import { SimulatorError } from '../../v3/answers.js';
import type { SimulatorContext, SimulatorProduct } from '../product.js';

/**
 * `GET /v3/certificates`: the platform certificates, encrypted with the APIv3 key of the
 * merchant asking; 404 in public-key mode, as new merchants get.
 */
export class CertificatesProduct implements SimulatorProduct {
  readonly v3Routes: V3Route[] = [
    [
      'GET',
      /^\/v3\/certificates$/,
      (r) => {
        const { platformKeys, merchants } = this.context;
        if (platformKeys.verification === 'publicKey') {
          throw new SimulatorError(
            404,
            'RESOURCE_NOT_EXISTS',
            '无可用的平台证书，请使用微信支付公钥 (no platform certificate: use the WeChat Pay public key)',
          );
        }
        const { apiV3Key } = merchants.getOrDefault(r.mchid);
        return { status: 200, body: { data: platformKeys.encryptedCertificates(apiV3Key) } };
      },
    ],
  ];

  constructor(private readonly context: SimulatorContext) {}
}
