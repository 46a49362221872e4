import type { NewOrder, OrderBook, SimulatedOrder } from './products/payments/orders.js';
import type { NewRefund, RefundBook, SimulatedRefund } from './products/refunds/refund-book.js';

/**
 * `simulator.state`: the orders and refunds a test may read or plant, across listeners and API
 * versions. Each product keeps its own records; this is the view tests have always used.
 */
export class SimulatorState {
  constructor(
    private readonly orders: OrderBook,
    private readonly refunds: RefundBook,
  ) {}

  /** The order `outTradeNo` of this merchant (and sub-merchant in partner mode). */
  findOrder(
    mchid: string,
    subMchid: string | undefined,
    outTradeNo: string,
  ): SimulatedOrder | undefined {
    return this.orders.find(mchid, subMchid, outTradeNo);
  }

  /** The order with this WeChat Pay transaction id, of this merchant. */
  findOrderByTransactionId(
    mchid: string,
    subMchid: string | undefined,
    transactionId: string,
  ): SimulatedOrder | undefined {
    return this.orders.findByTransactionId(mchid, subMchid, transactionId);
  }

  /** Any order with this number, whoever placed it (for test hooks). */
  findAnyOrder(outTradeNo: string): SimulatedOrder | undefined {
    return this.orders.findAny(outTradeNo);
  }

  /** Plants a NOTPAY order, as a prepay would. */
  addOrder(fields: NewOrder): SimulatedOrder {
    return this.orders.add(fields);
  }

  /** Every order. */
  allOrders(): SimulatedOrder[] {
    return this.orders.all();
  }

  /** The refund `outRefundNo`, if this merchant (and sub-merchant) made it. */
  findRefund(
    mchid: string,
    subMchid: string | undefined,
    outRefundNo: string,
  ): SimulatedRefund | undefined {
    return this.refunds.find(mchid, subMchid, outRefundNo);
  }

  /** Any refund with this number, whoever made it. */
  findAnyRefund(outRefundNo: string): SimulatedRefund | undefined {
    return this.refunds.findAny(outRefundNo);
  }

  /** Records a refund as the API would (it is settled on a timer if `settleAfterMs` is set). */
  addRefund(order: SimulatedOrder, fields: NewRefund): SimulatedRefund {
    return this.refunds.add(order, fields);
  }

  /** Every refund. */
  allRefunds(): SimulatedRefund[] {
    return this.refunds.all();
  }

  /** Called for every refund the API accepts (the simulator settles them on a timer if asked). */
  get onRefundAdded(): ((refund: SimulatedRefund) => void) | undefined {
    return this.refunds.onAdded;
  }

  set onRefundAdded(listener: ((refund: SimulatedRefund) => void) | undefined) {
    this.refunds.onAdded = listener;
  }
}
