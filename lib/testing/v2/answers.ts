import { signV2, type V2SignType } from '../../core/crypto/v2-sign.js';
import { buildV2Xml } from '../../core/v2/xml.js';

/** The answer: an XML message, or a bill file. */
export type V2SimulatorAnswer = { xml: string } | { file: string };

/**
 * A business failure (`result_code` FAIL): `err_code` and `err_code_des`, and any other field
 * the failure carries (撤销订单's `recall`).
 */
export class V2Failure extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(`${code}: ${description}`);
  }
}

/** A `V2Failure` maker, for `findOrThrow`. */
export const v2NotFound = (code: string, description: string) => () =>
  new V2Failure(code, description);

/** A communication failure (`return_code` FAIL), unsigned as WeChat Pay sends it. */
export function fail(message: string): V2SimulatorAnswer {
  return { xml: buildV2Xml({ return_code: 'FAIL', return_msg: message }) };
}

/** The fields that have a value, as v2 messages carry them. */
export function definedFields(fields: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
}

/** A signed XML message of the fields that have a value. */
export function signedXml(
  fields: Record<string, string | undefined>,
  key: string,
  signType: V2SignType,
): string {
  const defined = definedFields(fields);
  return buildV2Xml({ ...defined, sign: signV2(defined, key, signType) });
}
