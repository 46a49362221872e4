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
    try {
      if (order.api === 'v2') await wechatPay.v2.closeOrder(id);
      else await wechatPay.closeOrder(id);
    } catch (error) {
      // Never prepaid: WeChat Pay has nothing to close, and neither has anyone to pay.
      if (!(error instanceof WechatPayApiError && NOT_AT_WECHAT.has(error.code))) throw error;
    }
    if (!this.repository.transition(id, 'CREATED', 'CLOSED')) {
      throw new ConflictException(`order ${id} became ${order.status} while closing`);
    }
    return order;
  }

  /**
   * Refunds a paid order in full; the refund notification marks it REFUNDED. Calling it again
   * while the order is REFUNDING re-sends the same out_refund_no, which WeChat Pay treats as
   * the same refund: the safe retry after a timeout or a 5xx.
   */
  async refund(id: string): Promise<Order> {
    const order = this.get(id);
    if (order.status === 'PAID') {
      // REFUNDING before the call: the refund notification may arrive before the call returns.
      const attempt = order.refundAttempts + 1;
      this.repository.transition(id, 'PAID', 'REFUNDING', {
        refundNo: `R${order.id}${attempt > 1 ? `-${attempt}` : ''}`,
        refundAttempts: attempt,
      });
    } else if (order.status !== 'REFUNDING') {
      throw new ConflictException(`order ${id} is ${order.status}, not PAID`);
    }
    const refundNo = order.refundNo!;
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
        const refund = await wechatPay.createRefund({
          out_trade_no: order.id,
          out_refund_no: refundNo,
          amount: { refund: order.total, total: order.total, currency: 'CNY' },
          notify_url: notifyUrl('refund', order),
        });
        if (refund.status !== 'PROCESSING') {
          this.applyRefundResult(id, { refundNo, status: refund.status, refund: order.total });
        }
      }
    } catch (error) {
      // A definite "no" leaves the money with us: back to PAID. After a timeout, a network
      // error or a 5xx the refund may be under way: stay REFUNDING and retry with the same number.
      if (isDefiniteRefusal(error)) this.repository.transition(id, 'REFUNDING', 'PAID');
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
    const change = { transactionId: paid.transactionId };
    if (this.repository.transition(id, 'CREATED', 'PAID', change)) {
      this.logger.log(`order ${id} paid (${paid.total} fen)`);
    } else if (this.repository.transition(id, 'CLOSED', 'PAID', change)) {
      // The payer paid while we closed it: the money is ours, so the order is paid.
      this.logger.warn(`order ${id} was paid after it was closed: ship it or refund it`);
    } else if (order.transactionId !== paid.transactionId) {
      // Acknowledged all the same: WeChat Pay sending it again would not give the money back.
      this.logger.error(
        `order ${id} is ${order.status} but transaction ${paid.transactionId} paid it again: refund that transaction`,
      );
    }
  }

  /** Called by the refund notification handlers, after the same checks as `markPaid`. */
  markRefunded(
    id: string,
    result: { refundNo: string; status: string; refund: number; merchant?: string },
  ): void {
    const order = this.repository.find(id);
    if (!order) throw new Error(`refund for unknown order ${id}`);
    if (order.merchant !== result.merchant) {
      throw new Error(`refund of order ${id} notified for the wrong merchant`);
    }
    this.applyRefundResult(id, result);
  }

  private applyRefundResult(
    id: string,
    result: { refundNo: string; status: string; refund: number },
  ): void {
    const order = this.get(id);
    if (result.refundNo !== order.refundNo) {
      // An older attempt (closed before this one started) or a refund made elsewhere.
      this.logger.warn(`order ${id}: refund ${result.refundNo} is ${result.status}; not ours now`);
      return;
    }
    if (result.status === 'SUCCESS') {
      if (result.refund !== order.total) {
        throw new Error(
          `order ${id}: refunded ${result.refund} fen but the order is ${order.total}`,
        );
      }
      // From PAID too: a refund we thought refused may have gone through after all.
      this.repository.transition(id, ['REFUNDING', 'PAID'], 'REFUNDED');
    } else if (result.status === 'CLOSED') {
      this.repository.transition(id, 'REFUNDING', 'PAID');
    } else if (result.status === 'ABNORMAL') {
      this.repository.transition(id, 'REFUNDING', 'REFUND_ABNORMAL');
      this.logger.error(
        `order ${id}: refund ${result.refundNo} is ABNORMAL; settle it in the merchant platform`,
      );
    }
  }
}

/** Codes WeChat Pay answers when it has no such order: v3 and v2. */
const NOT_AT_WECHAT = new Set(['ORDER_NOT_EXIST', 'ORDERNOTEXIST', 'RESOURCE_NOT_EXISTS']);

/** WeChat Pay refused and will not change its mind on a retry with the same request. */
function isDefiniteRefusal(error: unknown): boolean {
  return (
    error instanceof WechatPayApiError &&
    error.status < 500 &&
    !/SYSTEM_?ERROR|FREQUENCY_LIMIT/.test(error.code)
  );
}
