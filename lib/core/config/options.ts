import type { WechatPayOptionDeclarations } from './declarations/index.js';
import type { OptionalOptionsOf, RequiredOptionsOf } from './option-declaration.js';

export type { WechatPayMode } from './declarations/index.js';

/**
 * How to reach and authenticate as one WeChat Pay merchant.
 *
 * Give the APIv3 fields (`privateKey` or `privateKeyPath`, `serialNo`, `apiV3Key`), the v2
 * `apiKey`, or both. Everything is checked when the application starts. Each option is declared,
 * with its documentation, in `lib/core/config/declarations/`.
 *
 * @example
 * WechatPayModule.forRoot({
 *   mchid: '1900000109',
 *   appid: 'wxd678efh567hg6787',
 *   serialNo: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
 *   privateKeyPath: '/run/secrets/apiclient_key.pem',
 *   apiV3Key: process.env.WECHATPAY_API_V3_KEY,
 * });
 */
export interface WechatPayOptions
  extends
    RequiredOptionsOf<WechatPayOptionDeclarations>,
    OptionalOptionsOf<WechatPayOptionDeclarations> {}
