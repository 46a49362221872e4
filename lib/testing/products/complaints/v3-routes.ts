import { findOrThrow } from '../../find-or-throw.js';
import type { SimulatorMerchants } from '../../merchants.js';
import {
  notFound,
  ok,
  param,
  SimulatorError,
  type SimulatorAnswer,
  type SimulatorRequest,
  str,
  type V3Route,
} from '../../v3/answers.js';
import type { MediaStore } from '../media/media-store.js';
import {
  type ComplaintBook,
  complaintJson,
  negotiationJson,
  type SimulatedComplaint,
} from './complaint-book.js';

/** What the complaint routes act on; `changed` sends the `COMPLAINT.STATE_CHANGE`. */
export interface ComplaintRoutesContext {
  complaints: ComplaintBook;
  media: MediaStore;
  merchants: SimulatorMerchants;
  changed: (complaint: SimulatedComplaint, actionType: string) => void;
}

const NO_CONTENT: SimulatorAnswer = { status: 204 };
const COMPLAINT = /^\/v3\/merchant-service\/complaints-v2\/([^/]+)/;
const action = (name: string) => new RegExp(`${COMPLAINT.source}/${name}$`);
const NOTIFICATIONS = /^\/v3\/merchant-service\/complaint-notifications$/;

/** 消费者投诉 2.0 in API v3: complaints, their negotiation, and the notification URL. */
export function complaintsV3Routes(context: ComplaintRoutesContext): V3Route[] {
  const { complaints } = context;
  const find = (req: SimulatorRequest, id: string) =>
    findOrThrow(complaints.find(req.mchid, id), notFound('RESOURCE_NOT_EXISTS', '投诉单不存在'));
  const json = (req: SimulatorRequest, complaint: SimulatedComplaint) =>
    complaintJson(complaint, {
      baseUrl: req.baseUrl,
      media: context.media,
      merchantKey: context.merchants.getOrDefault(complaint.mchid).publicKey,
    });
  return [
    ['GET', /^\/v3\/merchant-service\/complaints-v2$/, (r) => list(r, context, json)],
    ['GET', new RegExp(`${COMPLAINT.source}$`), (r, m) => ok(json(r, find(r, m[1]!)))],
    [
      'GET',
      action('negotiation-historys'),
      (r, m) => {
        const { limit, offset } = paging(r, 300, 100);
        const history = find(r, m[1]!).history;
        return ok({
          data: history
            .slice(offset, offset + limit)
            .map((step) => negotiationJson(step, { baseUrl: r.baseUrl, media: context.media })),
          limit,
          offset,
          total_count: history.length,
        });
      },
    ],
    ['POST', action('response'), (r, m) => respond(r, find(r, m[1]!), context)],
    ['POST', action('complete'), (r, m) => complete(r, find(r, m[1]!), context)],
    [
      'POST',
      action('update-refund-progress'),
      (r, m) => refundProgress(r, find(r, m[1]!), context),
    ],
    ['POST', NOTIFICATIONS, (r) => setUrl(r, complaints, 'create')],
    ['PUT', NOTIFICATIONS, (r) => setUrl(r, complaints, 'update')],
    [
      'GET',
      NOTIFICATIONS,
      (r) =>
        ok({
          mchid: r.mchid,
          url: findOrThrow(
            complaints.notificationUrls.get(r.mchid),
            notFound('RESOURCE_NOT_EXISTS', '投诉通知回调地址不存在'),
          ),
        }),
    ],
    [
      'DELETE',
      NOTIFICATIONS,
      (r) => {
        complaints.notificationUrls.delete(r.mchid);
        return NO_CONTENT;
      },
    ],
  ];
}

function paging(req: SimulatorRequest, max: number, fallback: number) {
  const read = (name: string, dflt: number, min: number, top: number) => {
    const raw = req.url.searchParams.get(name);
    const value = raw === null ? dflt : Number(raw);
    if (!Number.isInteger(value) || value < min || value > top) {
      throw param(`${name} 超出范围 [${min},${top}]`);
    }
    return value;
  };
  return {
    limit: read('limit', fallback, 1, max),
    offset: read('offset', 0, 0, Number.MAX_SAFE_INTEGER),
  };
}

function list(
  req: SimulatorRequest,
  context: ComplaintRoutesContext,
  json: (req: SimulatorRequest, complaint: SimulatedComplaint) => unknown,
): SimulatorAnswer {
  const q = req.url.searchParams;
  const begin = q.get('begin_date');
  const end = q.get('end_date');
  if (!begin || !end) throw param('begin_date 和 end_date 为必填参数');
  const span = Date.parse(end) - Date.parse(begin);
  if (!(span >= 0 && span <= 30 * 86_400_000)) throw param('查询日期跨度不超过30天');
  const { limit, offset } = paging(req, 50, 10);
  const mchid = q.get('complainted_mchid');
  // Dates are China days: compare each complaint's day in UTC+8.
  const day = (c: SimulatedComplaint) =>
    new Date(c.time.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const found = context.complaints
    .of(req.mchid)
    .filter((c) => day(c) >= begin && day(c) <= end)
    .filter((c) => !mchid || c.complaintedMchid === mchid);
  return ok({
    data: found.slice(offset, offset + limit).map((c) => json(req, c)),
    limit,
    offset,
    total_count: found.length,
  });
}

function checkMchid(req: SimulatorRequest, complaint: SimulatedComplaint): void {
  if (str(req.json, 'complainted_mchid') !== complaint.complaintedMchid) {
    throw param('complainted_mchid 与投诉单的被诉商户号不一致');
  }
}

function closed(complaint: SimulatedComplaint): void {
  if (complaint.state === 'PROCESSED') {
    throw new SimulatorError(400, 'INVALID_REQUEST', '投诉单已处理完成 (the complaint is closed)');
  }
}

/** Media ids the merchant uploaded itself, at most 4. */
function ownImages(req: SimulatorRequest, context: ComplaintRoutesContext, field: string) {
  const value = req.json[field] ?? [];
  if (!Array.isArray(value) || value.length > 4) throw param(`${field} 最多4张图片`);
  for (const id of value) {
    const media = typeof id === 'string' ? context.media.get(id) : undefined;
    if (media?.mchid !== req.mchid) throw param(`${field} 中的图片不存在: ${String(id)}`);
  }
  return value as string[];
}

function respond(
  req: SimulatorRequest,
  complaint: SimulatedComplaint,
  context: ComplaintRoutesContext,
): SimulatorAnswer {
  checkMchid(req, complaint);
  closed(complaint);
  const content = str(req.json, 'response_content');
  if (content.length > 500) throw param('response_content 不能超过500个字符');
  const images = ownImages(req, context, 'response_images');
  context.complaints.log(complaint, {
    operator: '商户',
    type: 'MERCHANT_RESPONSE',
    details: content,
    images,
  });
  complaint.state = 'PROCESSING';
  context.changed(complaint, 'MERCHANT_RESPONSE');
  return NO_CONTENT;
}

function complete(
  req: SimulatorRequest,
  complaint: SimulatedComplaint,
  context: ComplaintRoutesContext,
): SimulatorAnswer {
  checkMchid(req, complaint);
  if (complaint.state === 'PROCESSED') return NO_CONTENT;
  complaint.state = 'PROCESSED';
  context.complaints.log(complaint, {
    operator: '商户',
    type: 'MERCHANT_CONFIRM_COMPLETE',
    details: '商户已处理完成',
    images: [],
  });
  context.changed(complaint, 'MERCHANT_CONFIRM_COMPLETE');
  return NO_CONTENT;
}

function refundProgress(
  req: SimulatorRequest,
  complaint: SimulatedComplaint,
  context: ComplaintRoutesContext,
): SimulatorAnswer {
  closed(complaint);
  const decision = str(req.json, 'action');
  if (decision !== 'APPROVE' && decision !== 'REJECT')
    throw param('action 取值为 APPROVE 或 REJECT');
  if (decision === 'REJECT' && typeof req.json.reject_reason !== 'string') {
    throw param('拒绝退款时 reject_reason 为必填参数');
  }
  const images = ownImages(req, context, 'reject_media_list');
  complaint.refundDecision = decision;
  context.complaints.log(complaint, {
    operator: '商户',
    type: decision === 'APPROVE' ? 'MERCHANT_APPROVE_REFUND' : 'MERCHANT_REFUSE_RERUND',
    details: [req.json.reject_reason, req.json.remark].find((v) => typeof v === 'string') ?? '',
    images,
  });
  context.changed(
    complaint,
    decision === 'APPROVE' ? 'MERCHANT_APPROVE_REFUND' : 'MERCHANT_REJECT_REFUND',
  );
  return NO_CONTENT;
}

function setUrl(
  req: SimulatorRequest,
  complaints: ComplaintBook,
  mode: 'create' | 'update',
): SimulatorAnswer {
  const url = str(req.json, 'url');
  const exists = complaints.notificationUrls.has(req.mchid);
  if (mode === 'create' && exists) {
    throw new SimulatorError(400, 'INVALID_REQUEST', '投诉通知回调地址已存在，请使用更新接口');
  }
  if (mode === 'update' && !exists)
    throw notFound('RESOURCE_NOT_EXISTS', '投诉通知回调地址不存在')();
  complaints.notificationUrls.set(req.mchid, url);
  return ok({ mchid: req.mchid, url });
}
