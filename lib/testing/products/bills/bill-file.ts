import { chinaDate, chinaDateTime } from '../../time.js';
import type { OrderBook } from '../payments/orders.js';

const yuan = (fen: number) => (fen / 100).toFixed(2);
/** Bill cells start with a backtick, as WeChat Pay's do, so spreadsheets keep long numbers. */
const row = (cells: (string | number)[]) => cells.map((c) => `\`${c}`).join(',');

/** A bill file in WeChat Pay's CSV layout for the paid orders of one day (China time). */
export function buildBillFile(
  orders: OrderBook,
  query: { mchid: string; subMchid?: string; date: string; kind: 'trade' | 'fundflow' },
): Buffer {
  const paid = orders
    .all()
    .filter(
      (o) =>
        o.mchid === query.mchid &&
        (query.subMchid === undefined || o.subMchid === query.subMchid) &&
        o.successTime !== undefined &&
        chinaDate(o.successTime) === query.date,
    );
  const lines: string[] = [];
  if (query.kind === 'trade') {
    lines.push(
      '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率',
    );
    for (const o of paid) {
      lines.push(
        row([
          chinaDateTime(o.successTime!),
          o.appid,
          o.mchid,
          o.subMchid ?? '0',
          '',
          o.transactionId,
          o.outTradeNo,
          o.payer?.openid ?? o.payer?.sp_openid ?? o.payer?.sub_openid ?? '',
          o.channel.toUpperCase(),
          'SUCCESS',
          'OTHERS',
          o.currency,
          yuan(o.total),
          '0.00',
          o.description,
          o.attach ?? '',
          yuan(Math.round(o.total * 0.006)),
          '0.60%',
        ]),
      );
    }
    const total = paid.reduce((sum, o) => sum + o.total, 0);
    lines.push(
      '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
    );
    lines.push(
      row([
        paid.length,
        yuan(total),
        '0.00',
        '0.00',
        yuan(Math.round(total * 0.006)),
        yuan(total),
        '0.00',
      ]),
    );
  } else {
    lines.push(
      '记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号',
    );
    let balance = 0;
    for (const o of paid) {
      balance += o.total;
      lines.push(
        row([
          chinaDateTime(o.successTime!),
          o.transactionId,
          o.transactionId,
          '交易',
          '交易',
          '收入',
          yuan(o.total),
          yuan(balance),
          'system',
          '',
          o.outTradeNo,
        ]),
      );
    }
    lines.push('资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额');
    lines.push(row([paid.length, paid.length, yuan(balance), 0, '0.00']));
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}
