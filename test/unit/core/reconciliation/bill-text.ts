/** A test's view of one trade-bill row: a payment, or a refund of `out_trade_no`. */
export type TestBillRow =
  | { out_trade_no: string; total: number; time?: string; state?: 'SUCCESS' | 'REVOKED' }
  | { out_trade_no: string; out_refund_no: string; refund: number; time?: string };

const HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const SUMMARY =
  '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';
const yuan = (fen: number) => (fen / 100).toFixed(2);
const tick = (cells: (string | number)[]) => cells.map((c) => `\`${c}`).join(',');

/** An `ALL` trade bill in WeChat Pay's layout, with a summary that adds up. */
export function tradeBillText(rows: readonly TestBillRow[]): string {
  const lines = [HEADER];
  let settlement = 0;
  let refunded = 0;
  let total = 0;
  rows.forEach((row, i) => {
    const time = row.time ?? '2026-06-08 12:00:00';
    const common = [
      time,
      'wx2421b1c4370ec43b',
      '1900000109',
      '0',
      '',
      `4200${String(i).padStart(24, '0')}`,
      row.out_trade_no,
      'o',
      'NATIVE',
    ];
    if ('refund' in row) {
      refunded += row.refund;
      lines.push(
        tick([
          ...common,
          'REFUND',
          'OTHERS',
          'CNY',
          '0.00',
          '0.00',
          `5030${String(i).padStart(24, '0')}`,
          row.out_refund_no,
          yuan(row.refund),
          '0.00',
          'ORIGINAL',
          'SUCCESS',
          'x',
          '',
          '0.00',
          '0.60%',
          '0.00',
          yuan(row.refund),
          '',
        ]),
      );
    } else {
      settlement += row.total;
      total += row.total;
      lines.push(
        tick([
          ...common,
          row.state ?? 'SUCCESS',
          'OTHERS',
          'CNY',
          yuan(row.total),
          '0.00',
          '0',
          '0',
          '0.00',
          '0.00',
          '',
          '',
          'x',
          '',
          '0.00',
          '0.60%',
          yuan(row.total),
          '0.00',
          '',
        ]),
      );
    }
  });
  lines.push(
    SUMMARY,
    tick([
      rows.length,
      yuan(settlement),
      yuan(refunded),
      '0.00',
      '0.00',
      yuan(total),
      yuan(refunded),
    ]),
  );
  return `${lines.join('\r\n')}\r\n`;
}
