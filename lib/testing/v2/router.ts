import { generateNonce } from '../../core/crypto/nonce.js';
import { parseV2Xml, type V2Fields } from '../../core/v2/xml.js';
import type { SimulatorMerchants } from '../merchants.js';
import { fail, signedXml, V2Failure, type V2SimulatorAnswer } from './answers.js';
import { authenticateV2 } from './authentication.js';
import type { V2Route } from './route.js';
import type { V2Keys } from './v2-keys.js';

/** An API v2 request as the simulator sees it. */
export interface V2SimulatorRequest {
  path: string;
  body: Buffer;
  /** The mchid of a verified client certificate on the HTTPS listener, if one was presented. */
  clientCertificateMchid: string | undefined;
  /** Answer with this business failure instead (an injected `v2Error` fault). */
  error?: { code: string; message?: string };
}

const GET_SIGN_KEY = '/xdc/apiv2getsignkey/sign/getsignkey';

/**
 * API v2: parses the XML, runs WeChat Pay's checks, then the product route for the path, and
 * signs what it answers (or its business failure) with the caller's key.
 */
export class V2Router {
  constructor(
    private readonly merchants: SimulatorMerchants,
    private readonly keys: V2Keys,
    private readonly routes: ReadonlyMap<string, V2Route>,
    /** Paths besides `/secapi/*` that need the merchant's client certificate. */
    private readonly certificatePaths: ReadonlySet<string>,
  ) {}

  /** The XML (or bill file) WeChat Pay would answer. */
  handle(request: V2SimulatorRequest): V2SimulatorAnswer {
    let fields: V2Fields;
    try {
      fields = parseV2Xml(request.body.toString('utf8'));
    } catch {
      return fail('XML格式错误 (malformed XML)');
    }
    if (request.path === GET_SIGN_KEY) return this.keys.issueSandboxKey(fields);
    const caller = authenticateV2(
      { path: request.path, fields, clientCertificateMchid: request.clientCertificateMchid },
      this.merchants,
      this.keys,
      (path) => path.startsWith('/secapi/') || this.certificatePaths.has(path),
    );
    if ('refused' in caller) return caller.refused;
    const { merchant, key, signType, sandbox, path } = caller;
    const base = {
      appid: fields.appid,
      mch_id: merchant.mchid,
      sub_mch_id: fields.sub_mch_id,
      nonce_str: generateNonce(),
      result_code: 'SUCCESS',
    };
    try {
      if (request.error) {
        throw new V2Failure(request.error.code, request.error.message ?? '系统错误');
      }
      const route = this.routes.get(path);
      if (!route) throw new V2Failure('NOT_FOUND', `no such endpoint ${path}`);
      const result = route({ path, fields, merchant, signType, sandbox });
      if ('file' in result) return result;
      return {
        xml: signedXml(
          { return_code: 'SUCCESS', return_msg: 'OK', ...base, ...result.fields },
          key,
          signType,
        ),
      };
    } catch (error) {
      if (!(error instanceof V2Failure)) throw error;
      return {
        xml: signedXml(
          {
            return_code: 'SUCCESS',
            return_msg: 'OK',
            appid: fields.appid,
            mch_id: merchant.mchid,
            nonce_str: generateNonce(),
            result_code: 'FAIL',
            err_code: error.code,
            err_code_des: error.description,
            ...error.fields,
          },
          key,
          signType,
        ),
      };
    }
  }
}
