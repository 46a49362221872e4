import { Controller, Post } from '@nestjs/common';
import {
  type RefundNotification,
  type TransactionNotification,
  type V2PaymentNotification,
  type V2RefundNotification,
  type NotificationEnvelope,
  WechatNotification,
  WechatNotify,
  WechatPayload,
} from 'nestjs-wechatpay';
import { GIFTCARDS_MERCHANT } from '../catalog/catalog.js';
import { OrdersService } from '../orders/orders.service.js';

const REFUND_EVENTS = ['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED'] as const;
/** SUCCESS, ABNORMAL or CLOSED: the library names v2's refund_status (CHANGE…) the v3 way too. */
const refundStatus = (envelope: NotificationEnvelope) =>
  envelope.event_type.slice('REFUND.'.length);

const v3RefundResult = (refund: RefundNotification) => ({
  refundNo: refund.out_refund_no,
  status: refund.refund_status,
  refund: refund.amount.refund,
});

/**
 * When the payment succeeded, for reconciliation: v3's success_time (RFC 3339), or v2's
 * time_end (`yyyyMMddHHmmss`, China time). `undefined` when absent or malformed: the order then
 * records when it was marked paid, rather than the notification failing for ever.
 */
const successTime = (time: string | undefined): Date | undefined => {
  const v2 = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(time ?? '');
  const date = new Date(
    v2 ? `${v2.slice(1, 4).join('-')}T${v2.slice(4).join(':')}+08:00` : (time ?? ''),
  );
  return Number.isNaN(date.getTime()) ? undefined : date;
};

/**
 * WeChat Pay's callbacks, one URL per merchant, API version and kind (see notify-urls.ts):
 * verified, decrypted and de-duplicated before these methods run. A method that throws
 * answers FAIL, and WeChat Pay delivers again.
 */
@Controller('wechatpay')
export class NotificationsController {
  constructor(private readonly orders: OrdersService) {}

  @Post('notify')
  @WechatNotify({ events: ['TRANSACTION.SUCCESS'] })
  async paid(@WechatPayload() transaction: TransactionNotification): Promise<void> {
    await this.orders.markPaid(transaction.out_trade_no, {
      total: transaction.amount.total,
      transactionId: transaction.transaction_id,
      paidAt: successTime(transaction.success_time),
    });
  }

  @Post('refund-notify')
  @WechatNotify({ events: [...REFUND_EVENTS] })
  async refunded(@WechatPayload() refund: RefundNotification): Promise<void> {
    await this.orders.markRefunded(refund.out_trade_no, v3RefundResult(refund));
  }

  @Post('v2/notify')
  @WechatNotify({ version: 'v2', events: ['TRANSACTION.SUCCESS'] })
  async paidV2(@WechatPayload() payment: V2PaymentNotification): Promise<void> {
    await this.orders.markPaid(payment.out_trade_no, {
      total: Number(payment.total_fee),
      transactionId: payment.transaction_id,
      paidAt: successTime(payment.time_end),
    });
  }

  @Post('v2/refund-notify')
  @WechatNotify({ version: 'v2', events: [...REFUND_EVENTS] })
  async refundedV2(
    @WechatPayload() refund: V2RefundNotification,
    @WechatNotification() envelope: NotificationEnvelope,
  ): Promise<void> {
    await this.orders.markRefunded(refund.out_trade_no!, {
      refundNo: refund.out_refund_no,
      status: refundStatus(envelope),
      refund: Number(refund.refund_fee),
    });
  }

  /** The second merchant: its own keys verify and decrypt its notifications. */
  @Post(`${GIFTCARDS_MERCHANT}/notify`)
  @WechatNotify({ merchant: GIFTCARDS_MERCHANT, events: ['TRANSACTION.SUCCESS'] })
  async giftcardPaid(@WechatPayload() transaction: TransactionNotification): Promise<void> {
    await this.orders.markPaid(transaction.out_trade_no, {
      total: transaction.amount.total,
      transactionId: transaction.transaction_id,
      paidAt: successTime(transaction.success_time),
      merchant: GIFTCARDS_MERCHANT,
    });
  }

  @Post(`${GIFTCARDS_MERCHANT}/refund-notify`)
  @WechatNotify({ merchant: GIFTCARDS_MERCHANT, events: [...REFUND_EVENTS] })
  async giftcardRefunded(@WechatPayload() refund: RefundNotification): Promise<void> {
    await this.orders.markRefunded(refund.out_trade_no, {
      ...v3RefundResult(refund),
      merchant: GIFTCARDS_MERCHANT,
    });
  }
}
