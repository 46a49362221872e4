import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { WechatPayApiError } from 'nestjs-wechatpay';
import { findProduct } from '../catalog/catalog.js';
import { MerchantClients } from '../payments/merchant-clients.js';
import { notifyUrl } from '../payments/notify-urls.js';
import {
  type PayChannel,
  type Payer,
  type PrepayAnswer,
  PrepayService,
} from '../payments/prepay.service.js';
import { type ApiVersion, type Order, OrderRepository } from './order.repository.js';

@Injectable()
export class OrdersService {
  private readonly logger = new Logger('Orders');

  constructor(
    private readonly repository: OrderRepository,
    private readonly merchants: MerchantClients,
    private readonly prepayService: PrepayService,
  ) {}

  /** The price comes from the catalogue, never from the client. */
  create(productId: string, api: ApiVersion = 'v3'): Order {
    const product = findProduct(productId);
    if (!product) throw new BadRequestException(`no product ${productId}`);
    if (product.merchant && api === 'v2') {
      throw new BadRequestException(`${product.name} is sold by a merchant set up for API v3 only`);
    }
    this.merchants.for(product.merchant); // fail now, not at payment, if its merchant is missing
    return this.repository.create({
      productId,
      product: product.name,
      total: product.price,
      api,
      merchant: product.merchant,
    });
  }

  get(id: string): Order {
    const order = this.repository.find(id);
    if (!order) throw new NotFoundException(`no order ${id}`);
    return order;
  }

  async pay(id: string, channel: PayChannel, payer: Payer): Promise<PrepayAnswer> {
    const order = this.get(id);
    if (order.status !== 'CREATED') throw new ConflictException(`order ${id} is ${order.status}`);
    const answer = await this.prepayService.prepay(order, channel, payer);
    if (answer.channel === 'native') this.repository.update(id, { codeUrl: answer.codeUrl });
    return answer;
  }

  /** Asks WeChat Pay for the order's state (the notification stays the source of truth). */
  async query(id: string): Promise<string> {
    const order = this.get(id);
    const wechatPay = this.merchants.for(order.merchant);
    if (order.api === 'v2')
      return (await wechatPay.v2.orderQuery({ out_trade_no: id })).trade_state ?? 'UNKNOWN';
    return (await wechatPay.queryOrderByOutTradeNo(id)).trade_state;
  }

  /** Closes an unpaid order so that it can no longer be paid. */
  async close(id: string): Promise<Order> {
    const order = this.get(id);
    if (order.status !== 'CREATED') throw new ConflictException(`order ${id} is ${order.status}`);
    const wechatPay = this.merchants.for(order.merchant);
    if (order.api === 'v2') await wechatPay.v2.closeOrder(id);
    else await wechatPay.closeOrder(id);
    this.repository.transition(id, 'CREATED', 'CLOSED');
    return order;
  }

  /** Refunds a paid order in full; the refund notification marks it REFUNDED. */
  async refund(id: string): Promise<Order> {
    const order = this.get(id);
    const refundNo = `R${order.id}`;
    // REFUNDING before the call: the refund notification may arrive before the call returns.
    if (!this.repository.transition(id, 'PAID', 'REFUNDING', { refundNo })) {
      throw new ConflictException(`order ${id} is ${order.status}, not PAID`);
    }
    const wechatPay = this.merchants.for(order.merchant);
    try {
      if (order.api === 'v2') {
        await wechatPay.v2.refund({
          out_trade_no: order.id,
          out_refund_no: refundNo,
          total_fee: order.total,
          refund_fee: order.total,
          notify_url: notifyUrl('refund', order),
        });
      } else {
        await wechatPay.createRefund({
          out_trade_no: order.id,
          out_refund_no: refundNo,
          amount: { refund: order.total, total: order.total, currency: 'CNY' },
          notify_url: notifyUrl('refund', order),
        });
      }
    } catch (error) {
      // WeChat Pay said no: still paid. After a network error the refund may have been taken,
      // so the order stays REFUNDING; retrying with the same out_refund_no is safe.
      if (error instanceof WechatPayApiError) this.repository.transition(id, 'REFUNDING', 'PAID');
      throw error;
    }
    return order;
  }

  /**
   * Called by the notification handlers. Never trust a notification alone: it must be for an
   * order of ours, for the merchant that placed it, and for the amount it was created with.
   * Throwing makes the handler answer FAIL, so WeChat Pay delivers the notification again.
   */
  markPaid(id: string, paid: { total: number; transactionId: string; merchant?: string }): void {
    const order = this.repository.find(id);
    if (!order) throw new Error(`payment for unknown order ${id}`);
    if (order.merchant !== paid.merchant) {
      throw new Error(
        `order ${id} belongs to merchant ${order.merchant ?? 'default'}, not ${paid.merchant ?? 'default'}`,
      );
    }
    if (paid.total !== order.total) {
      throw new Error(`order ${id}: paid ${paid.total} fen but the order is ${order.total} fen`);
    }
    if (this.repository.transition(id, 'CREATED', 'PAID', { transactionId: paid.transactionId })) {
      this.logger.log(`order ${id} paid (${paid.total} fen)`);
    }
  }

  markRefunded(id: string, succeeded: boolean): void {
    const order = this.repository.find(id);
    if (!order) throw new Error(`refund for unknown order ${id}`);
    this.repository.transition(id, 'REFUNDING', succeeded ? 'REFUNDED' : 'PAID');
  }
}
