/** The media types WeChat Pay sends notifications with, by API version. */
export const NOTIFICATION_MEDIA_TYPES: Readonly<Record<'v3' | 'v2', readonly string[]>> = {
  v3: ['application/json'],
  v2: ['text/xml', 'application/xml'],
};

/**
 * Whether a `Content-Type` header is one WeChat Pay sends notifications of `version` with.
 * Parameters such as `charset` are ignored; a missing header is not one.
 */
export function isNotificationContentType(
  version: 'v3' | 'v2',
  contentType: string | string[] | undefined,
): boolean {
  const header = Array.isArray(contentType) ? contentType[0] : contentType;
  const mediaType = header?.split(';', 1)[0]?.trim().toLowerCase();
  return mediaType !== undefined && NOTIFICATION_MEDIA_TYPES[version].includes(mediaType);
}
