import { chinaDate, chinaDateTime } from '../../time.js';
import type { SimulatedSplit } from './profit-sharing-book.js';

const yuan = (fen: number) => (fen / 100).toFixed(2);
/** Bill cells start with a backtick, as WeChat Pay's do, so spreadsheets keep long numbers. */
const row = (cells: (string | number)[]) => cells.map((c) => `\`${c}`).join(',');

/**
 * A profit-sharing bill (分账账单) in CSV: one row per receiver part of the merchant's splits
 * (unfreezes included) made on one day (China time), then the totals.
 */
export function profitSharingBillFile(
  splits: readonly SimulatedSplit[],
  query: { mchid: string; subMchid?: string; date: string },
): Buffer {
  const lines = [
    '分账发起时间,分账发起方,分账方,分账接收方,分账接收方类型,微信订单号,微信分账/回退单号,分账明细单号,商户分账/回退单号,分账金额(元),业务类型,处理状态,分账描述',
  ];
  let count = 0;
  let total = 0;
  for (const split of splits) {
    const { order } = split;
    if (order.mchid !== query.mchid) continue;
    if (query.subMchid !== undefined && order.subMchid !== query.subMchid) continue;
    if (chinaDate(split.createdAt) !== query.date) continue;
    for (const part of split.parts) {
      count += 1;
      total += part.amount;
      lines.push(
        row([
          chinaDateTime(split.createdAt),
          order.mchid,
          order.subMchid ?? order.mchid,
          part.account,
          part.type,
          order.transactionId,
          split.orderId,
          part.detailId,
          split.outOrderNo,
          yuan(part.amount),
          split.kind === 'split' ? '分账' : '解冻给分账方',
          part.result === 'PENDING'
            ? '处理中'
            : part.result === 'SUCCESS'
              ? '分账成功'
              : '分账失败',
          part.description,
        ]),
      );
    }
  }
  lines.push('总条数,分账总金额(元)');
  lines.push(row([count, yuan(total)]));
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}
