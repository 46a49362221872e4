import { randomDigits } from '../../ids.js';
import { chinaDate, chinaDateTime } from '../../time.js';
import type { OrderBook, SimulatedOrder } from '../payments/orders.js';
import type { RefundBook, SimulatedRefund } from '../refunds/refund-book.js';

/** 账单类型 of a trade bill. */
export type TradeBillType = 'ALL' | 'SUCCESS' | 'REFUND';

/** Which bill to build: whose, which day (China time), which kind. */
export interface BillQuery {
  mchid: string;
  subMchid?: string;
  date: string;
  kind: 'trade' | 'fundflow';
  /** Trade bills only. @default 'ALL' */
  billType?: TradeBillType;
}

const yuan = (fen: number) => (fen / 100).toFixed(2);
/** Bill cells start with a backtick, as WeChat Pay's do, so spreadsheets keep long numbers. */
const row = (cells: (string | number)[]) => cells.map((c) => `\`${c}`).join(',');
const FEE_RATE = 0.006;
const feeOf = (fen: number) => Math.round(fen * FEE_RATE);

// The official layouts (交易账单 ALL / SUCCESS / REFUND, 资金账单).
const ORDER_CELLS =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额';
const REFUND_CELLS = '微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态';
const TRADE_HEADERS: Record<TradeBillType, string> = {
  ALL: `${ORDER_CELLS},${REFUND_CELLS},商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注`,
  SUCCESS: `${ORDER_CELLS},商品名称,商户数据包,手续费,费率,订单金额,费率备注`,
  REFUND: `${ORDER_CELLS},退款申请时间,退款成功时间,${REFUND_CELLS},商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注`,
};
const TRADE_SUMMARIES: Record<TradeBillType, string> = {
  ALL: '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
  SUCCESS: '总交易单数,应结订单总金额,手续费总金额,订单总金额',
  REFUND:
    '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
};
const FUND_FLOW_HEADER =
  '记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),资金变更提交申请人,备注,业务凭证号';

/**
 * A way a bill may differ from the simulator's state, for reconciliation tests: a payment the
 * state lacks, a paid order left out, or a payment's amount changed. The bill still adds up.
 */
export type BillAlteration =
  | {
      kind: 'extraPayment';
      /** The unknown order's number. */
      outTradeNo: string;
      /** Fen. */
      total: number;
      /** When it was paid. @default now */
      time?: Date;
    }
  | { kind: 'missingPayment'; outTradeNo: string }
  | {
      kind: 'amountOff';
      outTradeNo: string;
      /** Fen added to the order's amount (negative to take away). @default 1 */
      byFen?: number;
    };

/** One line of a trade bill before it is written: a payment or a refund. */
interface TradeLine {
  time: Date;
  order: SimulatedOrder;
  refund?: SimulatedRefund;
}

/**
 * A bill file in WeChat Pay's CSV layout for one day (China time): the day's payments and the
 * refunds requested that day, with the summary rows adding them up.
 */
export function buildBillFile(
  orders: OrderBook,
  refunds: RefundBook,
  query: BillQuery,
  alterations: readonly BillAlteration[] = [],
): Buffer {
  const mine = (o: SimulatedOrder) =>
    o.mchid === query.mchid && (query.subMchid === undefined || o.subMchid === query.subMchid);
  const onDay = (time: Date | undefined) => time !== undefined && chinaDate(time) === query.date;
  const paid: TradeLine[] = orders
    .all()
    .filter((o) => mine(o) && onDay(o.successTime))
    .map((order) => ({ time: order.successTime!, order }));
  alter(paid, alterations, query);
  const refunded: TradeLine[] = refunds
    .all()
    .filter((r) => mine(r.order) && onDay(r.createdAt))
    .map((refund) => ({ time: refund.createdAt, order: refund.order, refund }));
  const lines =
    query.kind === 'trade'
      ? tradeBill(query.billType ?? 'ALL', paid, refunded)
      : fundFlowBill([...paid, ...refunded].sort((a, b) => a.time.getTime() - b.time.getTime()));
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}

function alter(paid: TradeLine[], alterations: readonly BillAlteration[], query: BillQuery) {
  for (const alteration of alterations) {
    const index = paid.findIndex((line) => line.order.outTradeNo === alteration.outTradeNo);
    switch (alteration.kind) {
      case 'missingPayment':
        if (index !== -1) paid.splice(index, 1);
        break;
      case 'amountOff':
        if (index !== -1) {
          const { order } = paid[index]!;
          const total = order.total + (alteration.byFen ?? 1);
          paid[index] = { ...paid[index]!, order: { ...order, total } };
        }
        break;
      case 'extraPayment': {
        const time = alteration.time ?? new Date();
        if (chinaDate(time) !== query.date) break;
        const order = unknownOrder(alteration.outTradeNo, alteration.total, time, query);
        paid.push({ time, order });
      }
    }
  }
}

/** A paid order of the bill's merchant that the simulator never took. */
function unknownOrder(
  outTradeNo: string,
  total: number,
  time: Date,
  query: BillQuery,
): SimulatedOrder {
  return {
    mchid: query.mchid,
    appid: 'wx0000000000000000',
    ...(query.subMchid === undefined ? {} : { subMchid: query.subMchid }),
    channel: 'native',
    outTradeNo,
    transactionId: `4200${randomDigits(24)}`,
    prepayId: '',
    description: 'not in the simulator',
    total,
    currency: 'CNY',
    notifyUrl: '',
    state: 'SUCCESS',
    createdAt: time,
    successTime: time,
    refunded: 0,
  };
}

function tradeBill(type: TradeBillType, paid: TradeLine[], refunded: TradeLine[]): string[] {
  const included = type === 'ALL' ? [...paid, ...refunded] : type === 'SUCCESS' ? paid : refunded;
  const totals = { settlement: 0, refund: 0, fee: 0, total: 0 };
  const lines = [TRADE_HEADERS[type]];
  for (const { time, order, refund } of included) {
    const settlement = refund ? 0 : order.total;
    const fee = refund ? -feeOf(refund.refund) : feeOf(order.total);
    totals.settlement += settlement;
    totals.refund += refund?.refund ?? 0;
    totals.fee += fee;
    totals.total += refund ? 0 : order.total;
    const orderCells = [
      chinaDateTime(time),
      order.appid,
      order.mchid,
      order.subMchid ?? '0',
      '',
      order.transactionId,
      order.outTradeNo,
      order.payer?.openid ?? order.payer?.sp_openid ?? order.payer?.sub_openid ?? '',
      order.channel === 'h5' ? 'MWEB' : order.channel.toUpperCase(),
      refund ? 'REFUND' : 'SUCCESS',
      'OTHERS',
      order.currency,
      yuan(settlement),
      '0.00',
    ];
    const refundCells = [
      refund?.refundId ?? '0',
      refund?.outRefundNo ?? '0',
      yuan(refund?.refund ?? 0),
      '0.00',
      refund ? 'ORIGINAL' : '',
      refund ? refundStatus(refund) : '',
    ];
    const tail = [
      order.description,
      order.attach ?? '',
      yuan(fee),
      '0.60%',
      yuan(refund ? 0 : order.total),
    ];
    const requested = yuan(refund?.refund ?? 0);
    if (type === 'ALL') lines.push(row([...orderCells, ...refundCells, ...tail, requested, '']));
    else if (type === 'SUCCESS') lines.push(row([...orderCells, ...tail, '']));
    else {
      const applied = chinaDateTime(refund!.createdAt);
      const succeeded = refund!.successTime ? chinaDateTime(refund!.successTime) : '';
      lines.push(row([...orderCells, applied, succeeded, ...refundCells, ...tail, requested, '']));
    }
  }
  lines.push(TRADE_SUMMARIES[type]);
  const count = included.length;
  if (type === 'SUCCESS') {
    lines.push(row([count, yuan(totals.settlement), yuan(totals.fee), yuan(totals.total)]));
  } else {
    const { settlement, refund, fee, total } = totals;
    lines.push(
      row([count, yuan(settlement), yuan(refund), '0.00', yuan(fee), yuan(total), yuan(refund)]),
    );
  }
  return lines;
}

// The bill keeps the status the refund had when it was made; PROCESSING is written as such.
const refundStatus = (refund: SimulatedRefund) => refund.status;

function fundFlowBill(movements: TradeLine[]): string[] {
  const lines = [FUND_FLOW_HEADER];
  let balance = 0;
  const income = { count: 0, amount: 0 };
  const expense = { count: 0, amount: 0 };
  for (const { time, order, refund } of movements) {
    const amount = refund ? refund.refund : order.total;
    const side = refund ? expense : income;
    side.count++;
    side.amount += amount;
    balance += refund ? -amount : amount;
    lines.push(
      row([
        chinaDateTime(time),
        refund ? refund.refundId : order.transactionId,
        refund ? `${refund.refundId}01` : `${order.transactionId}01`,
        refund ? '退款' : '交易',
        refund ? '退款' : '交易',
        refund ? '支出' : '收入',
        yuan(amount),
        yuan(balance),
        'system',
        '',
        refund ? refund.outRefundNo : order.outTradeNo,
      ]),
    );
  }
  lines.push('资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额');
  lines.push(
    row([
      `${movements.length}.0`,
      `${income.count}.0`,
      yuan(income.amount),
      `${expense.count}.0`,
      yuan(expense.amount),
    ]),
  );
  return lines;
}
