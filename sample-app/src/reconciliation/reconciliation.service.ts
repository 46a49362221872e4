import { Injectable, Logger } from '@nestjs/common';
import {
  type DailyReconciliationResult,
  formatReconciliationReport,
  type ReconciliationOrder,
  type ReconciliationReport,
  WechatPayService,
} from 'nestjs-wechatpay';
import { OrderRepository } from '../orders/order.repository.js';

/**
 * T+1 reconciliation of the default merchant's orders: run by `npm run reconcile`, and the source
 * and hook of the library's daily job when DAILY_RECONCILIATION=true (`DailyReconciliationJob`).
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger(ReconciliationService.name);

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
      { orders: (day) => this.ordersOn(day) },
      { api },
    );
    return { report, text: formatReconciliationReport(report) };
  }

  /** The default merchant's orders of `date` (China time), in out_trade_no order, from SQL. */
  ordersOn(date: string): AsyncIterable<ReconciliationOrder> {
    return this.orders.ordersPaidOrRefundedOn(date);
  }

  /** The daily job's hook: the one-screen summary, a warning when anything differs. */
  reported(result: DailyReconciliationResult): void {
    if (result.status === 'failed') {
      this.logger.error(
        `${result.date} could not be reconciled: run npm run reconcile -- --date ${result.date}`,
      );
      return;
    }
    const text = formatReconciliationReport(result.report);
    if (Object.values(result.report.counts).some((count) => count > 0)) this.logger.warn(text);
    else this.logger.log(text);
  }
}
