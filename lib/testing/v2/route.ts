import type { V2SignType } from '../../core/crypto/v2-sign.js';
import type { V2Fields } from '../../core/v2/xml.js';
import type { TestMerchant } from '../test-merchant.js';

/** A verified API v2 request, as a product route sees it. */
export interface V2RouteRequest {
  /** Its path, without the sandbox prefix. */
  path: string;
  fields: V2Fields;
  merchant: TestMerchant;
  signType: V2SignType;
  sandbox: boolean;
}

/**
 * What a route answers: the business fields (the router adds `return_code`, `appid`, `mch_id`,
 * `sub_mch_id`, `nonce_str`, `result_code` SUCCESS and the signature), or a bill file. A
 * business failure is thrown as a `V2Failure`.
 */
export type V2RouteResult = { fields: Record<string, string | undefined> } | { file: string };

/** One API v2 endpoint's handler. */
export type V2Route = (request: V2RouteRequest) => V2RouteResult;
