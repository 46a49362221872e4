import { Injectable, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  type DailyReconciliationResult,
  type ReconciliationOrder,
  WechatReconciliationReport,
  WechatReconciliationSource,
} from 'nestjs-wechatpay';
import { ReconciliationService } from './reconciliation.service.js';

/**
 * The built-in daily reconciliation job's source and hook, both `ReconciliationService`'s. A
 * provider of its own, imported only when DAILY_RECONCILIATION=true: `npm run reconcile` and the
 * tests build the same AppModule and must not reconcile yesterday as they start.
 */
@Injectable()
export class DailyReconciliationJob {
  constructor(private readonly moduleRef: ModuleRef) {}

  /** The default merchant's orders of `date`, from SQL. */
  @WechatReconciliationSource()
  orders(date: string): AsyncIterable<ReconciliationOrder> {
    return this.reconciliation().ordersOn(date);
  }

  /** Each day's result: the one-screen summary in the log. */
  @WechatReconciliationReport()
  reported(result: DailyReconciliationResult): void {
    this.reconciliation().reported(result);
  }

  // ReconciliationService lives in AppModule, which imports this module.
  private reconciliation(): ReconciliationService {
    return this.moduleRef.get(ReconciliationService, { strict: false });
  }
}

/** Runs the daily job (WECHATPAY_RECONCILIATION_TIME, 10:30 China time by default). */
@Module({ providers: [DailyReconciliationJob] })
export class DailyReconciliationModule {}
