import { segment } from '../path-segment.js';

/** API v3 消费者投诉 2.0 paths: the same for merchants and service providers. */
export const COMPLAINTS_PATH = '/v3/merchant-service/complaints-v2';

/** One complaint, or one of its actions (`response`, `complete`, …). */
export const complaintPath = (complaintId: string, action?: string): string =>
  `${COMPLAINTS_PATH}/${segment(complaintId)}${action ? `/${action}` : ''}`;

/** The merchant's one complaint notification URL (create, query, update, delete). */
export const COMPLAINT_NOTIFICATIONS_PATH = '/v3/merchant-service/complaint-notifications';

/** Where complaint images are fetched: `media_url` values start with this path. */
export const COMPLAINT_IMAGES_PATH = '/v3/merchant-service/images/';
