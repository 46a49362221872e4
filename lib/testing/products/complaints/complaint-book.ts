import type { KeyObject } from 'node:crypto';
import { encryptSensitive } from '../../../core/crypto/rsa-oaep.js';
import type {
  Complaint,
  ComplaintState,
  NegotiationHistoryEntry,
} from '../../../core/products/complaints/complaints.types.js';
import { randomDigits } from '../../ids.js';
import { chinaTime } from '../../time.js';
import type { MediaStore } from '../media/media-store.js';

/** One step of a simulated complaint's negotiation. */
export interface SimulatedNegotiation {
  logId: string;
  operator: string;
  time: Date;
  type: string;
  details: string;
  /** Media ids. */
  images: string[];
}

/** A complaint as the simulator keeps it. */
export interface SimulatedComplaint {
  complaintId: string;
  /** Who reads it and is notified: the merchant, or the service provider of a sub-merchant. */
  mchid: string;
  /** 被诉商户号: the merchant, or the sub-merchant in partner mode. */
  complaintedMchid: string;
  time: Date;
  detail: string;
  problemDescription: string;
  problemType: 'REFUND' | 'SERVICE_NOT_WORK' | 'OTHERS';
  applyRefundAmount?: number;
  state: ComplaintState;
  /** The payer's phone number in clear: encrypted for the merchant in every answer. */
  payerPhone?: string;
  payerOpenid: string;
  order?: { transactionId: string; outTradeNo: string; amount: number };
  /** Media ids of the payer's images. */
  images: string[];
  history: SimulatedNegotiation[];
  fullRefunded: boolean;
  /** The merchant's decision on the refund asked for, once made. */
  refundDecision?: 'APPROVE' | 'REJECT';
}

/** The simulator's complaints and each merchant's complaint notification URL. */
export class ComplaintBook {
  private readonly byId = new Map<string, SimulatedComplaint>();
  /** The complaint notification URL per merchant (service provider). */
  readonly notificationUrls = new Map<string, string>();

  /** Files a complaint under a new 投诉单号. */
  add(complaint: Omit<SimulatedComplaint, 'complaintId' | 'history'>): SimulatedComplaint {
    const stored: SimulatedComplaint = {
      ...complaint,
      complaintId: `2000${randomDigits(24)}`,
      history: [],
    };
    this.byId.set(stored.complaintId, stored);
    return stored;
  }

  /** A complaint `mchid` may read (its own, or one of its sub-merchants'). */
  find(mchid: string, complaintId: string): SimulatedComplaint | undefined {
    const complaint = this.byId.get(complaintId);
    return complaint?.mchid === mchid ? complaint : undefined;
  }

  /** Any complaint, for test hooks. */
  findAny(complaintId: string): SimulatedComplaint | undefined {
    return this.byId.get(complaintId);
  }

  /** Every complaint `mchid` may read, oldest first. */
  of(mchid: string): SimulatedComplaint[] {
    return [...this.byId.values()].filter((c) => c.mchid === mchid);
  }

  /** Records one negotiation step. */
  log(complaint: SimulatedComplaint, step: Omit<SimulatedNegotiation, 'logId' | 'time'>): void {
    complaint.history.push({ ...step, logId: randomDigits(20), time: new Date() });
  }
}

/**
 * A complaint as WeChat Pay answers it: `payer_phone` RSA-OAEP encrypted with the merchant's
 * public key, the payer's images as `media_url`s.
 */
export function complaintJson(
  complaint: SimulatedComplaint,
  context: { baseUrl: string; media: MediaStore; merchantKey: KeyObject },
): Complaint {
  return {
    complaint_id: complaint.complaintId,
    complaint_time: chinaTime(complaint.time),
    complaint_detail: complaint.detail,
    complaint_state: complaint.state,
    complainted_mchid: complaint.complaintedMchid,
    ...(complaint.payerPhone
      ? { payer_phone: encryptSensitive(complaint.payerPhone, context.merchantKey) }
      : {}),
    payer_openid: complaint.payerOpenid,
    complaint_order_info: complaint.order
      ? [
          {
            transaction_id: complaint.order.transactionId,
            out_trade_no: complaint.order.outTradeNo,
            amount: complaint.order.amount,
          },
        ]
      : [],
    complaint_full_refunded: complaint.fullRefunded,
    incoming_user_response: false,
    user_complaint_times: 1,
    complaint_media_list: complaint.images.length
      ? [
          {
            media_type: 'USER_COMPLAINT_IMAGE',
            media_url: complaint.images.map((id) => context.media.url(context.baseUrl, id)),
          },
        ]
      : [],
    problem_description: complaint.problemDescription,
    problem_type: complaint.problemType,
    ...(complaint.applyRefundAmount !== undefined
      ? { apply_refund_amount: complaint.applyRefundAmount }
      : {}),
    user_tag_list: [],
    service_order_info: [],
    in_platform_service: false,
    need_immediate_service: false,
  };
}

/** A negotiation step as WeChat Pay answers it. */
export function negotiationJson(
  step: SimulatedNegotiation,
  context: { baseUrl: string; media: MediaStore },
): NegotiationHistoryEntry {
  return {
    log_id: step.logId,
    operator: step.operator,
    operate_time: chinaTime(step.time),
    operate_type: step.type,
    operate_details: step.details,
    image_list: step.images,
    complaint_media_list: {
      media_type: 'OPERATION_IMAGE',
      media_url: step.images.map((id) => context.media.url(context.baseUrl, id)),
    },
  };
}
