import type {
  ReconciliationDifference,
  ReconciliationDifferenceKind,
  ReconciliationReport,
  ReconciliationTotals,
} from './reconciliation.types.js';

/** Difference lines shown before "… and N more": the summary fits one screen. */
const SHOWN = 12;

const LABELS: Record<ReconciliationDifferenceKind, string> = {
  paid_at_wechatpay_not_here: 'paid at WeChat Pay, not here',
  paid_here_not_at_wechatpay: 'paid here, not at WeChat Pay',
  amount_mismatch: 'amount mismatches',
  refund_mismatch: 'refund mismatches',
};

const yuan = (fen: number) => (fen / 100).toFixed(2);
const side = (t: ReconciliationTotals) =>
  `${t.payments} payments ${yuan(t.paid)} yuan, ${t.refunds} refunds ${yuan(t.refunded)} yuan`;

/** How many differences a report found, of every kind (`differences` may be cut short). */
export function differenceCount(report: ReconciliationReport): number {
  return Object.values(report.counts).reduce((a, b) => a + b, 0);
}

/**
 * A one-screen, plain-text summary of a reconciliation: both sides' totals, the count of each
 * kind of difference, and the first differences with what to do about them.
 * @example
 * console.log(formatReconciliationReport(await wechatPay.reconciliation.reconcile(date, source)));
 */
export function formatReconciliationReport(report: ReconciliationReport): string {
  const total = differenceCount(report);
  const lines = [
    `WeChat Pay reconciliation of ${report.date} (API ${report.api}): ${total === 0 ? 'no differences' : `${total} difference${total === 1 ? '' : 's'}`}`,
    `  bill:    ${side(report.bill)}`,
    `  here:    ${side(report.here)}`,
    `  matched: ${report.matched.payments} payments, ${report.matched.refunds} refunds`,
  ];
  if (total === 0) return lines.join('\n');
  for (const [kind, label] of Object.entries(LABELS)) {
    const count = report.counts[kind as ReconciliationDifferenceKind];
    if (count > 0) lines.push(`  ${label}: ${count}`);
  }
  for (const difference of report.differences.slice(0, SHOWN))
    lines.push(`  - ${line(difference)}`);
  const more = total - Math.min(SHOWN, report.differences.length);
  if (more > 0) lines.push(`  … and ${more} more (see the JSON report or onDifference)`);
  return lines.join('\n');
}

function line(d: ReconciliationDifference): string {
  switch (d.kind) {
    case 'paid_at_wechatpay_not_here':
      return `${d.out_trade_no}: WeChat Pay took ${yuan(d.amount)} yuan (${d.transaction_id}), here ${d.state_here ?? 'no such order'}: ship or refund`;
    case 'paid_here_not_at_wechatpay':
      return `${d.out_trade_no}: ${d.state_here} here for ${yuan(d.amount)} yuan, not in the bill: query the order`;
    case 'amount_mismatch':
      return `${d.out_trade_no}: ${yuan(d.amount_here)} yuan here, ${yuan(d.amount_at_wechatpay)} yuan at WeChat Pay (${d.transaction_id})`;
    case 'refund_mismatch':
      return d.reason === 'not_here'
        ? `${d.out_trade_no} refund ${d.out_refund_no}: ${yuan(d.amount_at_wechatpay!)} yuan at WeChat Pay, unknown here`
        : d.reason === 'not_at_wechatpay'
          ? `${d.out_trade_no} refund ${d.out_refund_no}: ${yuan(d.amount_here!)} yuan here, not in the bill: query the refund`
          : `${d.out_trade_no} refund ${d.out_refund_no}: ${yuan(d.amount_here!)} yuan here, ${yuan(d.amount_at_wechatpay!)} yuan at WeChat Pay`;
  }
}
