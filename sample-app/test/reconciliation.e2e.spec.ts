import { WechatPayService } from 'nestjs-wechatpay';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ReconciliationService } from '../src/reconciliation/reconciliation.service.js';
import { type SampleApp, startSampleApp } from './sample-app.js';

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

// The sample's orders are reconciliation's source: what `npm run reconcile` runs.
describe.each(['express', 'fastify'] as const)(
  'reconciliation in the sample app on %s',
  (adapter) => {
    let sample: SampleApp;
    const paid: string[] = [];
    beforeAll(async () => {
      // Each adapter's simulator bills only its own orders: start from an empty table.
      sample = await startSampleApp(adapter, { giftcards: false, emptyDatabase: true });
      for (const api of ['v3', 'v2', 'v3'] as const) {
        const order = await sample.call('POST', '/orders', { productId: 'tea', api });
        await sample.call('POST', `/orders/${order.id}/pay/native`);
        sample.simulator.pay(order.id);
        await sample.until(order.id, 'PAID');
        paid.push(order.id);
      }
      await sample.call('POST', `/orders/${paid[0]}/refund`);
      await sample.until(paid[0]!, 'REFUNDED');
    });
    afterAll(() => sample.close());

    it.each(['v3', 'v2'] as const)(
      '%s: the day matches, then shows the bill that differs',
      async (api) => {
        const service = sample.app.get(ReconciliationService);
        sample.simulator.clearBillAlterations();
        const clean = await service.reconcile(today(), api);
        expect(clean.report.differences).toEqual([]);
        expect(clean.report.matched).toEqual({ payments: 3, refunds: 1 });
        expect(clean.text).toContain('no differences');

        sample.simulator.alterBills({ kind: 'amountOff', outTradeNo: paid[1]!, byFen: -1 });
        const { report, text } = await service.reconcile(today(), api);
        expect(report.differences).toEqual([
          expect.objectContaining({ kind: 'amount_mismatch', out_trade_no: paid[1] }),
        ]);
        expect(text).toContain(`${paid[1]}:`);
      },
    );
  },
);

// DAILY_RECONCILIATION=true: the library's job runs on ReconciliationService's source and hook.
// Its slot at 00:00 China time has always passed, so it catches yesterday up as the app starts.
describe('the daily reconciliation job in the sample app', () => {
  it('reconciles yesterday on start-up and hands the result to ReconciliationService', async () => {
    const reported = vi.spyOn(ReconciliationService.prototype, 'reported');
    const sample = await startSampleApp('express', {
      giftcards: false,
      env: { DAILY_RECONCILIATION: 'true', WECHATPAY_RECONCILIATION_TIME: '00:00' },
    });
    try {
      await vi.waitFor(() => expect(reported).toHaveBeenCalled(), { timeout: 20_000 });
      const yesterday = new Date(Date.now() + 8 * 3_600_000 - 86_400_000).toISOString();
      expect(reported.mock.calls[0]![0]).toMatchObject({
        status: 'reconciled',
        date: yesterday.slice(0, 10),
        attempts: 1,
      });
    } finally {
      await sample.close();
      reported.mockRestore();
      delete process.env.DAILY_RECONCILIATION; // not a WECHATPAY_ variable: the next app keeps it
    }
  });

  it('without DAILY_RECONCILIATION the job is off (npm run reconcile and the tests build the same app)', async () => {
    delete process.env.DAILY_RECONCILIATION;
    const sample = await startSampleApp('express', { giftcards: false });
    try {
      expect(sample.app.get(WechatPayService).dailyReconciliation.running).toBe(false);
    } finally {
      await sample.close();
    }
  });
});
