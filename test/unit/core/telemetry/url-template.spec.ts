import { describe, expect, it } from 'vitest';
import {
  orderByOutTradeNoPath,
  prepayPath,
} from '../../../../lib/core/products/payments/payments.paths.js';
import {
  abnormalRefundPath,
  refundPath,
} from '../../../../lib/core/products/refunds/refunds.paths.js';
import { complaintPath } from '../../../../lib/core/products/complaints/complaints.paths.js';
import { profitSharingOrderPath } from '../../../../lib/core/products/profit-sharing/profit-sharing.paths.js';
import { urlTemplate } from '../../../../lib/core/telemetry/url-template.js';
import { TRANSFER_PATHS } from '../../../../lib/core/products/transfers/transfers.paths.js';

describe('urlTemplate', () => {
  it.each([
    [
      orderByOutTradeNoPath(false, 'ORDER20260608001'),
      '/v3/pay/transactions/out-trade-no/{out_trade_no}',
    ],
    [
      `${orderByOutTradeNoPath(true, 'ORDER1')}/close`,
      '/v3/pay/partner/transactions/out-trade-no/{out_trade_no}/close',
    ],
    [
      `${orderByOutTradeNoPath(false, 'lowercaseorder')}?mchid=1230000109`,
      '/v3/pay/transactions/out-trade-no/{out_trade_no}',
    ],
    [refundPath('refundno'), '/v3/refund/domestic/refunds/{out_refund_no}'],
    [
      abnormalRefundPath('50000000382019052709732678859'),
      '/v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund',
    ],
    [
      complaintPath('200000020220101', 'response'),
      '/v3/merchant-service/complaints-v2/{complaint_id}/{action}',
    ],
    [profitSharingOrderPath('P20150806125346'), '/v3/profitsharing/orders/{out_order_no}'],
    [
      TRANSFER_PATHS.cancel(true, 'rewardno1'),
      '/v3/fund-app/mch-transfer/partner/transfer-bills/out-bill-no/{out_bill_no}/cancel',
    ],
    [
      TRANSFER_PATHS.byOutBillNo(false, 'rewardno'),
      '/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{out_bill_no}',
    ],
    [
      TRANSFER_PATHS.receipt(false, 'rewardno'),
      '/v3/fund-app/mch-transfer/elecsign/out-bill-no/{out_bill_no}',
    ],
  ])('%s → %s', (path, template) => {
    expect(urlTemplate(path)).toBe(template);
  });

  it.each([
    prepayPath(false, 'native'),
    prepayPath(true, 'jsapi'),
    '/v3/refund/domestic/refunds',
    '/v3/profitsharing/orders/unfreeze',
    '/v3/merchant-service/images/upload',
    '/v3/certificates',
    '/v3/bill/tradebill',
    '/pay/unifiedorder',
    '/secapi/pay/refund',
  ])('keeps a path without a variable: %s', (path) => {
    expect(urlTemplate(`${path}?bill_date=2026-06-08`)).toBe(path);
  });

  it.each([
    ['/v3/fund-app/mch-transfer/transfer-bills-v9/out-bill-no/lowercasebill', '/v3/fund-app/{…}'],
    ['/v3/marketing/favor/users/o1/coupons', '/v3/marketing/{…}'],
    ['/v3/unknown/ORDER20260608001', '/v3/unknown/{…}'],
    ['/v3/smartguide/guides/lowercaseid123', '/v3/smartguide/{…}'],
  ])('hides what an unlisted path may hold: %s → %s', (path, template) => {
    expect(urlTemplate(path)).toBe(template);
  });
});
