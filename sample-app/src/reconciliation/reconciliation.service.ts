import { Injectable } from '@nestjs/common';
import {
  formatReconciliationReport,
  type ReconciliationReport,
  WechatPayService,
} from 'nestjs-wechatpay';
import { OrderRepository } from '../orders/order.repository.js';

/** T+1 reconciliation of the default merchant's orders; run by `npm run reconcile`. */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly wechatPay: WechatPayService,
    private readonly orders: OrderRepository,
  ) {}

  /** Reconciles `date` (China time, `YYYY-MM-DD`): the report and its one-screen text. */
  async reconcile(
    date: string,
    api: 'v3' | 'v2' = 'v3',
  ): Promise<{ report: ReconciliationReport; text: string }> {
    const report = await this.wechatPay.reconciliation.reconcile(
      date,
      // The default merchant's orders of that day, in out_trade_no order, straight from SQL.
      { orders: (day) => this.orders.ordersPaidOrRefundedOn(day) },
      { api },
    );
    return { report, text: formatReconciliationReport(report) };
  }
}
