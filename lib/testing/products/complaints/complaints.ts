import { randomUUID } from 'node:crypto';
import { findOrThrow } from '../../find-or-throw.js';
import type { OutgoingNotification } from '../../notifications/notifier.js';
import type { V3Route } from '../../v3/answers.js';
import type { MediaStore } from '../media/media-store.js';
import type { OrderBook } from '../payments/orders.js';
import type { SimulatorContext, SimulatorProduct } from '../product.js';
import { ComplaintBook, type SimulatedComplaint } from './complaint-book.js';
import { complaintsV3Routes } from './v3-routes.js';

/** What a payer files with {@link ComplaintsProduct.file}. */
export interface FileComplaintOptions {
  /**
   * The order complained about (any merchant's); its merchant (the sub-merchant in partner mode)
   * is the one complained about.
   */
  outTradeNo?: string;
  /**
   * Without an order: the merchant complained about.
   * @default the simulator's merchant
   */
  mchid?: string;
  /** 投诉详情. @default '商品未收到，商家不回复' */
  detail?: string;
  /** 问题类型. @default 'REFUND' */
  problemType?: 'REFUND' | 'SERVICE_NOT_WORK' | 'OTHERS';
  /** 申请退款金额 in fen. @default the order's amount, with `problemType` REFUND */
  applyRefundAmount?: number;
  /** The payer's phone number, sent encrypted for the merchant. @default '13800138000' */
  payerPhone?: string;
  /** The payer's images (JPG, PNG or BMP). */
  images?: { filename: string; content: Buffer }[];
}

const TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', bmp: 'image/bmp' };

const SUMMARY: Record<string, string> = {
  'COMPLAINT.CREATE': '产生新投诉',
  'COMPLAINT.STATE_CHANGE': '投诉状态变化',
};

/**
 * 消费者投诉 2.0: a test files a complaint ({@link file}), the merchant answers, uploads images,
 * approves refunds and completes it over API v3, and each change goes out as a
 * `COMPLAINT.*` notification to the URL the merchant registered.
 */
export class ComplaintsProduct implements SimulatorProduct {
  readonly complaints = new ComplaintBook();
  readonly v3Routes: V3Route[];
  /** Every notification of each complaint, in order, for redelivery by tests. */
  private readonly sent = new Map<string, OutgoingNotification[]>();

  constructor(
    private readonly context: SimulatorContext,
    private readonly orders: OrderBook,
    private readonly media: MediaStore,
  ) {
    this.v3Routes = complaintsV3Routes({
      complaints: this.complaints,
      media,
      merchants: context.merchants,
      changed: (complaint, actionType) =>
        this.notify(complaint, 'COMPLAINT.STATE_CHANGE', actionType),
    });
  }

  /** The payer files a complaint; `COMPLAINT.CREATE` goes to the registered URL. */
  file(options: FileComplaintOptions = {}): SimulatedComplaint {
    const order =
      options.outTradeNo === undefined
        ? undefined
        : findOrThrow(
            this.orders.findAny(options.outTradeNo),
            () => new Error(`simulator: no order ${options.outTradeNo}`),
          );
    // getOrDefault of an unknown id is the simulator's own merchant.
    const mchid = order?.mchid ?? options.mchid ?? this.context.merchants.getOrDefault('').mchid;
    const problemType = options.problemType ?? 'REFUND';
    const images = (options.images ?? []).map((image) => {
      const type = TYPES[image.filename.split('.').pop()!.toLowerCase()];
      if (!type) throw new Error(`simulator: ${image.filename} is not a JPG, PNG or BMP`);
      return this.media.add({ ...image, contentType: type, mchid }, 'payer').mediaId;
    });
    const complaint = this.complaints.add({
      mchid,
      complaintedMchid: order?.subMchid ?? order?.mchid ?? mchid,
      time: new Date(),
      detail: options.detail ?? '商品未收到，商家不回复',
      problemDescription: problemType === 'REFUND' ? '申请退款' : '其他问题',
      problemType,
      applyRefundAmount:
        options.applyRefundAmount ?? (problemType === 'REFUND' ? order?.total : undefined),
      state: 'PENDING',
      payerPhone: options.payerPhone ?? '13800138000',
      payerOpenid:
        order?.payer?.openid ?? order?.payer?.sp_openid ?? `o${randomUUID().slice(0, 27)}`,
      order: order && {
        transactionId: order.transactionId,
        outTradeNo: order.outTradeNo,
        amount: order.total,
      },
      images,
      fullRefunded: false,
    });
    this.complaints.log(complaint, {
      operator: '投诉人',
      type: 'USER_CREATE_COMPLAINT',
      details: complaint.detail,
      images,
    });
    this.notify(complaint, 'COMPLAINT.CREATE', 'CREATE_COMPLAINT');
    return complaint;
  }

  /** Any complaint, or an error that names it. */
  complaint(complaintId: string): SimulatedComplaint {
    return findOrThrow(
      this.complaints.findAny(complaintId),
      () => new Error(`simulator: no complaint ${complaintId}`),
    );
  }

  /** The notifications sent about a complaint so far, oldest first. */
  notificationsOf(complaintId: string): OutgoingNotification[] {
    return this.sent.get(this.complaint(complaintId).complaintId) ?? [];
  }

  /** A complaint's notification, or `undefined` when its merchant registered no URL. */
  notification(
    complaint: SimulatedComplaint,
    eventType: string,
    actionType: string,
  ): OutgoingNotification | undefined {
    const url = this.complaints.notificationUrls.get(complaint.mchid);
    if (!url) return undefined;
    return this.context.notifications.v3({
      id: randomUUID(),
      eventType,
      summary: SUMMARY[eventType] ?? eventType,
      originalType: 'complaint',
      payload: { complaint_id: complaint.complaintId, action_type: actionType },
      url,
      mchid: complaint.mchid,
      tamper: {},
    });
  }

  private notify(complaint: SimulatedComplaint, eventType: string, actionType: string): void {
    // WeChat Pay notifies only merchants that registered a complaint notification URL.
    const notification = this.notification(complaint, eventType, actionType);
    if (!notification) return;
    const sent = this.sent.get(complaint.complaintId) ?? [];
    this.sent.set(complaint.complaintId, [...sent, notification]);
    this.context.notifications.send(() => notification);
  }
}
