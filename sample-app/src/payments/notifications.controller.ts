import { Controller, Post } from '@nestjs/common';
import {
  type RefundNotification,
  type TransactionNotification,
  type V2PaymentNotification,
  type V2RefundNotification,
  WechatNotify,
  WechatPayload,
} from 'nestjs-wechatpay';
import { OrdersService } from '../orders/orders.service.js';

/** WeChat Pay's callbacks: verified, decrypted and de-duplicated before these methods run. */
@Controller('wechatpay')
export class NotificationsController {
  constructor(private readonly orders: OrdersService) {}

  @Post('notify')
  @WechatNotify({ events: ['TRANSACTION.SUCCESS'] })
  paid(@WechatPayload() transaction: TransactionNotification): void {
    this.orders.markPaid(
      transaction.out_trade_no,
      transaction.amount.total,
      transaction.transaction_id,
    );
  }

  @Post('refund-notify')
  @WechatNotify({ events: ['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED'] })
  refunded(@WechatPayload() refund: RefundNotification): void {
    this.orders.markRefunded(refund.out_trade_no, refund.refund_status === 'SUCCESS');
  }

  @Post('v2/notify')
  @WechatNotify({ version: 'v2', events: ['TRANSACTION.SUCCESS'] })
  paidV2(@WechatPayload() payment: V2PaymentNotification): void {
    this.orders.markPaid(payment.out_trade_no, Number(payment.total_fee), payment.transaction_id);
  }

  @Post('v2/refund-notify')
  @WechatNotify({ version: 'v2', events: ['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED'] })
  refundedV2(@WechatPayload() refund: V2RefundNotification): void {
    this.orders.markRefunded(refund.out_trade_no!, refund.refund_status === 'SUCCESS');
  }
}
