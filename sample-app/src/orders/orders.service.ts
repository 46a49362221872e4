import {
  BadRequestException,
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import { WechatPayApiError, WechatPayError } from 'nestjs-wechatpay';
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
  async create(productId: string, api: ApiVersion = 'v3'): Promise<Order> {
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

  async get(id: string): Promise<Order> {
    const order = await this.repository.find(id);
    if (!order) throw new NotFoundException(`no order ${id}`);
    return order;
  }

  async pay(id: string, channel: PayChannel, payer: Payer): Promise<PrepayAnswer> {
    const order = await this.get(id);
    if (order.status !== 'CREATED') throw new ConflictException(`order ${id} is ${order.status}`);
    const answer = await this.prepayService.prepay(order, channel, payer);
    if (answer.channel === 'native') await this.repository.update(id, { codeUrl: answer.codeUrl });
    return answer;
  }

  /** Asks WeChat Pay for the order's state (the notification stays the source of truth). */
  async query(id: string): Promise<string> {
    const order = await this.get(id);
    const wechatPay = this.merchants.for(order.merchant);
    if (order.api === 'v2')
      return (await wechatPay.v2.payments.query({ out_trade_no: id })).trade_state ?? 'UNKNOWN';
    return (await wechatPay.payments.queryByOutTradeNo(id)).trade_state;
  }

  /** Closes an unpaid order so that it can no longer be paid. */
  async close(id: string): Promise<Order> {
    const order = await this.get(id);
    if (order.status !== 'CREATED') throw new ConflictException(`order ${id} is ${order.status}`);
    const wechatPay = this.merchants.for(order.merchant);
    try {
      if (order.api === 'v2') await wechatPay.v2.payments.close(id);
      else await wechatPay.payments.close(id);
    } catch (error) {
      // Never prepaid, or closed by an earlier attempt that timed out: nothing left to close.
      if (!(error instanceof WechatPayApiError && NOTHING_TO_CLOSE.has(error.code))) throw error;
    }
    if (!(await this.repository.transition(id, 'CREATED', 'CLOSED'))) {
      throw new ConflictException(
        `order ${id} became ${(await this.get(id)).status} while closing`,
      );
    }
    return this.get(id);
  }

  /**
   * Refunds a paid order in full; the refund notification marks it REFUNDED. Calling it again
   * while the order is REFUNDING re-sends the same out_refund_no, which WeChat Pay treats as
   * the same refund: the safe retry after a timeout or a "retry" answer.
   */
  async refund(id: string): Promise<Order> {
    let order = await this.get(id);
    if (order.status === 'PAID') {
      // REFUNDING before the call: the refund notification may arrive before the call returns.
      const refundNo = `R${order.id}${order.refundNos.length ? `-${order.refundNos.length + 1}` : ''}`;
      await this.repository.startRefund(id, refundNo, order.total);
      // Whoever started it (this call or a concurrent one), its number is the one to send.
      order = await this.get(id);
    }
    if (order.status !== 'REFUNDING') {
      throw new ConflictException(`order ${id} is ${order.status}, not PAID`);
    }
    const refundNo = order.refundNo!;
    const wechatPay = this.merchants.for(order.merchant);
    try {
      if (order.api === 'v2') {
        await wechatPay.v2.refunds.create({
          out_trade_no: order.id,
          out_refund_no: refundNo,
          total_fee: order.total,
          refund_fee: order.total,
          notify_url: notifyUrl('refund', order),
        });
      } else {
        const refund = await wechatPay.refunds.create({
          out_trade_no: order.id,
          out_refund_no: refundNo,
          amount: { refund: order.total, total: order.total, currency: 'CNY' },
          notify_url: notifyUrl('refund', order),
        });
        if (refund.status !== 'PROCESSING') {
          await this.applyRefundResult(order, {
            refundNo,
            status: refund.status,
            refund: order.total,
          });
        }
      }
    } catch (error) {
      // Nothing happened at WeChat Pay: still PAID, unless a newer attempt has started since.
      // Otherwise the refund may be under way: stay REFUNDING for a retry with the same number.
      if (!(error instanceof WechatPayError && error.mayHaveTakenEffect)) {
        await this.repository.abandonRefund(id, refundNo);
      }
      throw error;
    }
    return this.get(id);
  }

  /**
   * Called by the payment notification handlers. Never trust a notification alone: it must be
   * for an order of ours, for the merchant that placed it, and for the amount it was created
   * with. A verified notification that does not match is flagged for staff and acknowledged,
   * since WeChat Pay sending it again cannot make it match. An unknown order throws (FAIL, so
   * it comes again): with a replicated database the order may just not be readable yet.
   */
  async markPaid(
    id: string,
    paid: { total: number; transactionId: string; paidAt?: Date; merchant?: string },
  ): Promise<void> {
    const order = await this.repository.find(id);
    if (!order) throw new Error(`payment for unknown order ${id}`);
    const mismatch =
      order.merchant !== paid.merchant
        ? `paid to merchant ${paid.merchant ?? 'default'}, but the order is for ${order.merchant ?? 'default'}`
        : paid.total !== order.total
          ? `paid ${paid.total} fen, but the order is ${order.total} fen`
          : undefined;
    if (mismatch) {
      await this.repository.flag(id, `transaction ${paid.transactionId}: ${mismatch}`);
      this.logger.error(
        `order ${id} NOT marked paid: ${mismatch} (transaction ${paid.transactionId})`,
      );
      return;
    }
    const change = { transactionId: paid.transactionId, paidAt: paid.paidAt };
    if (await this.repository.transition(id, 'CREATED', 'PAID', change)) {
      this.logger.log(`order ${id} paid (${paid.total} fen)`);
    } else if (await this.repository.transition(id, 'CLOSED', 'PAID', change)) {
      // The payer paid while we closed it: the money is ours, so the order is paid.
      this.logger.warn(`order ${id} was paid after it was closed: ship it or refund it`);
    } else if (order.transactionId !== paid.transactionId) {
      await this.repository.flag(id, `paid again by transaction ${paid.transactionId}: refund it`);
      this.logger.error(`order ${id} paid again by transaction ${paid.transactionId}: refund it`);
    }
  }

  /** Called by the refund notification handlers, with the same rules as `markPaid`. */
  async markRefunded(
    id: string,
    result: { refundNo: string; status: string; refund: number; merchant?: string },
  ): Promise<void> {
    const order = await this.repository.find(id);
    if (!order) throw new Error(`refund for unknown order ${id}`);
    if (order.merchant !== result.merchant) {
      await this.repository.flag(id, `refund ${result.refundNo} notified for another merchant`);
      this.logger.error(`order ${id}: refund ${result.refundNo} notified for another merchant`);
      return;
    }
    await this.applyRefundResult(order, result);
  }

  private async applyRefundResult(
    order: Order,
    result: { refundNo: string; status: string; refund: number },
  ): Promise<void> {
    const { id } = order;
    if (!order.refundNos.includes(result.refundNo)) {
      await this.repository.flag(
        id,
        `refund ${result.refundNo} (${result.status}) was not made here`,
      );
      this.logger.warn(`order ${id}: refund ${result.refundNo} is ${result.status}; not made here`);
      return;
    }
    if (result.status === 'SUCCESS') {
      if (result.refund !== order.total) {
        await this.repository.flag(id, `refund ${result.refundNo} refunded ${result.refund} fen`);
      }
      // From any refund of ours, and from PAID or REFUND_ABNORMAL too: a refund we thought
      // refused, or one staff settled after it went abnormal, has reached the payer.
      await this.repository.transition(id, ['REFUNDING', 'PAID', 'REFUND_ABNORMAL'], 'REFUNDED');
      return;
    }
    // CLOSED and ABNORMAL are about one attempt: they matter only for the current one.
    const current = { refundNo: result.refundNo };
    if (result.status === 'CLOSED') {
      await this.repository.transition(id, 'REFUNDING', 'PAID', {}, current);
    } else if (result.status === 'ABNORMAL') {
      if (await this.repository.transition(id, 'REFUNDING', 'REFUND_ABNORMAL', {}, current)) {
        this.logger.error(
          `order ${id}: refund ${result.refundNo} is ABNORMAL; settle it in the merchant platform`,
        );
      }
    }
  }
}

/** Codes WeChat Pay answers when there is nothing (more) to close: v3 and v2. */
const NOTHING_TO_CLOSE = new Set([
  'ORDER_NOT_EXIST',
  'ORDERNOTEXIST',
  'RESOURCE_NOT_EXISTS',
  'ORDER_CLOSED',
  'ORDERCLOSED',
]);
