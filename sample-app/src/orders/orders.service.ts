import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { WechatPayService } from 'nestjs-wechatpay';
import { type Order, OrderRepository } from './order.repository.js';

@Injectable()
export class OrdersService {
  private readonly logger = new Logger('Orders');

  constructor(
    private readonly repository: OrderRepository,
    private readonly wechatPay: WechatPayService,
  ) {}

  create(product: string, total: number, api: 'v3' | 'v2' = 'v3'): Order {
    return this.repository.create(product, total, api);
  }

  get(id: string): Order {
    const order = this.repository.find(id);
    if (!order) throw new NotFoundException(`no order ${id}`);
    return order;
  }

  /** Native (QR code) payment: returns the code_url to show as a QR code. */
  async payNative(id: string): Promise<{ codeUrl: string }> {
    const order = this.get(id);
    if (order.api === 'v2') {
      const answer = await this.wechatPay.v2.unifiedOrder({
        body: order.product,
        out_trade_no: order.id,
        total_fee: order.total,
        spbill_create_ip: '127.0.0.1',
        trade_type: 'NATIVE',
        notify_url: this.url('/wechatpay/v2/notify'),
      });
      return { codeUrl: answer.code_url! };
    }
    const { code_url } = await this.wechatPay.prepayNative({
      description: order.product,
      out_trade_no: order.id,
      amount: { total: order.total },
      notify_url: this.url('/wechatpay/notify'),
    });
    return { codeUrl: code_url };
  }

  /** Asks WeChat Pay for the order's state (the notification stays the source of truth). */
  async query(id: string): Promise<string> {
    const order = this.get(id);
    if (order.api === 'v2')
      return (await this.wechatPay.v2.orderQuery({ out_trade_no: id })).trade_state ?? 'UNKNOWN';
    return (await this.wechatPay.queryOrderByOutTradeNo(id)).trade_state;
  }

  async refund(id: string): Promise<Order> {
    const order = this.get(id);
    const refundNo = `R${order.id}`.slice(0, 32);
    if (order.api === 'v2') {
      await this.wechatPay.v2.refund({
        out_trade_no: order.id,
        out_refund_no: refundNo,
        total_fee: order.total,
        refund_fee: order.total,
        notify_url: this.url('/wechatpay/v2/refund-notify'),
      });
    } else {
      await this.wechatPay.createRefund({
        out_trade_no: order.id,
        out_refund_no: refundNo,
        amount: { refund: order.total, total: order.total, currency: 'CNY' },
        notify_url: this.url('/wechatpay/refund-notify'),
      });
    }
    return this.repository.update(id, { status: 'REFUNDING', refundNo });
  }

  /**
   * Called by the notification handlers. Never trust a notification alone: the amount must be
   * the one this order was created with.
   */
  markPaid(id: string, paidTotal: number, transactionId: string): void {
    const order = this.repository.find(id);
    if (!order) throw new Error(`payment for unknown order ${id}`);
    if (paidTotal !== order.total) {
      throw new Error(`order ${id}: paid ${paidTotal} fen but the order is ${order.total} fen`);
    }
    if (order.status === 'CREATED') this.repository.update(id, { status: 'PAID', transactionId });
    this.logger.log(`order ${id} paid (${paidTotal} fen)`);
  }

  markRefunded(id: string, succeeded: boolean): void {
    const order = this.repository.find(id);
    if (!order) throw new Error(`refund for unknown order ${id}`);
    this.repository.update(id, { status: succeeded ? 'REFUNDED' : 'PAID' });
  }

  private url(path: string): string {
    return `${process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000'}${path}`;
  }
}
