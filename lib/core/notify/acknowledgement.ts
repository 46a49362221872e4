import { buildV2Xml } from '../v2/xml.js';

/** The API version of a notification, which decides the format of its acknowledgement. */
export type NotificationVersion = 'v3' | 'v2';

/** The success acknowledgement of API v3 notifications (HTTP 200). */
export const V3_SUCCESS_ACK = { code: 'SUCCESS', message: '成功' } as const;

/** The success acknowledgement of API v2 notifications (HTTP 200, XML). */
export const V2_SUCCESS_ACK =
  '<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>';

/** The failure acknowledgement of API v3 notifications: WeChat Pay delivers the event again. */
export function v3FailureAck(message: string): { code: 'FAIL'; message: string } {
  return { code: 'FAIL', message };
}

/** The failure acknowledgement of API v2 notifications: WeChat Pay delivers the event again. */
export function v2FailureAck(message: string): string {
  return buildV2Xml({ return_code: 'FAIL', return_msg: message });
}

/** The `Content-Type` of acknowledgements, by API version. */
export const ACK_CONTENT_TYPE: Readonly<Record<NotificationVersion, string>> = {
  v3: 'application/json; charset=utf-8',
  v2: 'text/xml; charset=utf-8',
};

/** An HTTP answer to write back to WeChat Pay as it is: status, headers and body. */
export interface NotificationAnswer {
  /** 200 when acknowledged; 4xx/5xx asks WeChat Pay to deliver the event again. */
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The body acknowledging a notification, by API version, before serialisation. */
export const SUCCESS_ACK = { v3: V3_SUCCESS_ACK, v2: V2_SUCCESS_ACK } as const;

const SUCCESS: Readonly<Record<NotificationVersion, NotificationAnswer>> = {
  v3: answer(200, 'v3', JSON.stringify(SUCCESS_ACK.v3)),
  v2: answer(200, 'v2', SUCCESS_ACK.v2),
};

/** The answer that acknowledges a notification of `version`. */
export function successAnswer(version: NotificationVersion): NotificationAnswer {
  const { status, headers, body } = SUCCESS[version];
  return { status, headers: { ...headers }, body };
}

/** The answer that refuses a notification of `version`, so WeChat Pay delivers it again. */
export function failureAnswer(
  version: NotificationVersion,
  status: number,
  message: string,
): NotificationAnswer {
  return answer(
    status,
    version,
    version === 'v2' ? v2FailureAck(message) : JSON.stringify(v3FailureAck(message)),
  );
}

function answer(status: number, version: NotificationVersion, body: string): NotificationAnswer {
  return { status, headers: { 'Content-Type': ACK_CONTENT_TYPE[version] }, body };
}
