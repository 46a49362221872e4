import { Injectable } from '@nestjs/common';
import {
  formatReconciliationReport,
  type ReconciliationReport,
  WechatPayService,
} from 'nestjs-wechatpay';
import { OrderRepository } from '../orders/order.repository.js';
import { reconciliationSource } from './order-source.js';

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
      reconciliationSource(() => this.orders.all()),
      { api },
    );
    return { report, text: formatReconciliationReport(report) };
  }
}
