import { findOrThrow } from '../../find-or-throw.js';
import {
  notFound,
  ok,
  param,
  SimulatorError,
  str,
  type SimulatorAnswer,
  type SimulatorRequest,
  type V3Route,
} from '../../v3/answers.js';
import { isPaid, type OrderBook, type SimulatedOrder } from '../payments/orders.js';
import {
  type ProfitSharingBook,
  returnJson,
  type SimulatedSplit,
  splitJson,
} from './profit-sharing-book.js';
import { receiverType, requestSubMchid } from './receivers-routes.js';
import type { SensitiveNames } from '../../v3/sensitive-names.js';

/** WeChat Pay's refusal of a split beyond what is still frozen (and of an empty unfreeze). */
const notEnough = () =>
  new SimulatorError(403, 'NOT_ENOUGH', '分账金额不足 (not enough is frozen)');
const invalid = (message: string) => new SimulatorError(400, 'INVALID_REQUEST', message);
const noRecord = notFound('RESOURCE_NOT_EXISTS', '记录不存在 (no such record)');

/** What the split and return routes work on. */
export interface ProfitSharingRouteDeps {
  orders: OrderBook;
  book: ProfitSharingBook;
  names: SensitiveNames;
  /** Called when a return succeeded, to notify its receiver. */
  onReturned: (record: ReturnType<ProfitSharingBook['addReturn']>) => void;
}

/** API v3 splits, unfreezing, the unsplit amount and returns. */
export function ordersRoutes(deps: ProfitSharingRouteDeps): V3Route[] {
  const { book } = deps;
  return [
    ['POST', /^\/v3\/profitsharing\/orders$/, (r) => split(deps, r)],
    ['POST', /^\/v3\/profitsharing\/orders\/unfreeze$/, (r) => unfreeze(deps, r)],
    [
      'GET',
      /^\/v3\/profitsharing\/orders\/([^/]+)$/,
      (r, m) => {
        const found = findOrThrow(book.split(r.mchid, requestSubMchid(r), m[1]!), noRecord);
        if (r.url.searchParams.get('transaction_id') !== found.order.transactionId)
          throw param('transaction_id 与分账单不匹配 (transaction_id is not the split payment)');
        return ok(splitJson(found));
      },
    ],
    [
      'GET',
      /^\/v3\/profitsharing\/transactions\/([^/]+)\/amounts$/,
      (r, m) => {
        const order = findOrThrow(
          deps.orders.all().find((o) => o.mchid === r.mchid && o.transactionId === m[1]),
          noRecord,
        );
        return ok({ transaction_id: order.transactionId, unsplit_amount: book.unsplit(order) });
      },
    ],
    ['POST', /^\/v3\/profitsharing\/return-orders$/, (r) => returnSplit(deps, r)],
    [
      'GET',
      /^\/v3\/profitsharing\/return-orders\/([^/]+)$/,
      (r, m) => {
        const found = findOrThrow(book.return(r.mchid, requestSubMchid(r), m[1]!), noRecord);
        if (r.url.searchParams.get('out_order_no') !== found.split.outOrderNo)
          throw param('out_order_no 与回退单不匹配 (out_order_no is not the returned split)');
        return ok(returnJson(found));
      },
    ],
  ];
}

/** The paid, profit-sharing order a split names. */
function frozenOrder(deps: ProfitSharingRouteDeps, req: SimulatorRequest): SimulatedOrder {
  const order = findOrThrow(
    deps.orders.findByTransactionId(
      req.mchid,
      requestSubMchid(req),
      str(req.json, 'transaction_id'),
    ),
    notFound('RESOURCE_NOT_EXISTS', '订单不存在 (no such order)'),
  );
  if (!isPaid(order)) throw invalid('订单未支付，不能分账 (the order is not paid)');
  if (!order.profitSharing) {
    throw invalid(
      '非分账订单不支持分账 (the order was not placed with settle_info.profit_sharing)',
    );
  }
  return order;
}

function split(deps: ProfitSharingRouteDeps, req: SimulatorRequest): SimulatorAnswer {
  const { book, names } = deps;
  const body = req.json;
  const subMchid = requestSubMchid(req);
  const outOrderNo = str(body, 'out_order_no');
  if (!Array.isArray(body.receivers) || body.receivers.length === 0 || body.receivers.length > 50)
    throw param('receivers 须包含 1 到 50 个分账接收方');
  if (typeof body.unfreeze_unsplit !== 'boolean') throw param('unfreeze_unsplit 为必填参数');
  const added = book.receiversOf(req.mchid, subMchid);
  const parts = (body.receivers as Record<string, unknown>[]).map((r, i) => {
    const type = receiverType(r.type, `receivers[${i}].type`);
    const account = str(r, 'account');
    const amount = r.amount;
    if (!Number.isInteger(amount) || (amount as number) <= 0)
      throw param(`receivers[${i}].amount 必须为正整数`);
    const receiver = added.get(`${type}/${account}`);
    if (!receiver) {
      throw param('分账接收方关系不存在，请检查参数中每个接收方的关系 (add the receiver first)');
    }
    const name = names.decrypt(req, r.name, `receivers[${i}].name`);
    if (name !== undefined && receiver.name !== undefined && name !== receiver.name)
      throw param('分账接收方姓名与添加时不一致 (the name differs from the added receiver)');
    names.check(account, name, type);
    return { type, account, amount: amount as number, description: str(r, 'description') };
  });
  const existing = book.split(req.mchid, subMchid, outOrderNo);
  if (existing) {
    const same =
      existing.kind === 'split' &&
      existing.parts.length === parts.length &&
      existing.parts.every(
        (p, i) => p.account === parts[i]!.account && p.amount === parts[i]!.amount,
      );
    if (!same) throw param('分账接收方与原请求不一致 (out_order_no was used for another split)');
    return ok(splitJson(existing));
  }
  const order = frozenOrder(deps, req);
  const total = parts.reduce((sum, p) => sum + p.amount, 0);
  if (total > book.unsplit(order)) throw notEnough();
  const created = book.addSplit(order, 'split', outOrderNo, parts);
  if (body.unfreeze_unsplit) book.unfreeze(order);
  return ok(splitJson(created));
}

function unfreeze(deps: ProfitSharingRouteDeps, req: SimulatorRequest): SimulatorAnswer {
  const { book } = deps;
  const subMchid = requestSubMchid(req);
  const outOrderNo = str(req.json, 'out_order_no');
  const description = str(req.json, 'description');
  const existing = book.split(req.mchid, subMchid, outOrderNo);
  if (existing) {
    if (existing.kind !== 'unfreeze')
      throw param('商户分账单号重复 (out_order_no was used for a split)');
    return ok(splitJson(existing));
  }
  const order = frozenOrder(deps, req);
  const rest = book.unsplit(order);
  if (rest === 0) throw notEnough();
  book.unfreeze(order);
  const created: SimulatedSplit = book.addSplit(order, 'unfreeze', outOrderNo, [
    { type: 'MERCHANT_ID', account: subMchid ?? req.mchid, amount: rest, description },
  ]);
  return ok(splitJson(created));
}

function returnSplit(deps: ProfitSharingRouteDeps, req: SimulatorRequest): SimulatorAnswer {
  const { book } = deps;
  const body = req.json;
  const subMchid = requestSubMchid(req);
  const outReturnNo = str(body, 'out_return_no');
  const existing = book.return(req.mchid, subMchid, outReturnNo);
  if (existing) return ok(returnJson(existing));
  const returnMchid = str(body, 'return_mchid');
  const amount = body.amount;
  if (!Number.isInteger(amount) || (amount as number) <= 0) throw param('amount 必须为正整数');
  const description = str(body, 'description');
  const found =
    typeof body.out_order_no === 'string'
      ? book.split(req.mchid, subMchid, body.out_order_no)
      : book
          .allSplits()
          .find(
            (s) =>
              s.orderId === body.order_id &&
              s.order.mchid === req.mchid &&
              s.order.subMchid === subMchid,
          );
  const splitRecord = findOrThrow(found, noRecord);
  const part = splitRecord.parts.find(
    (p) => p.type === 'MERCHANT_ID' && p.account === returnMchid && p.result === 'SUCCESS',
  );
  if (splitRecord.kind !== 'split' || !part) {
    throw invalid(
      '回退商户号不是原分账单中分账成功的商户接收方 (return_mchid received nothing from this split)',
    );
  }
  if ((amount as number) > part.amount - part.returned) {
    throw invalid(
      '回退金额超过原分账单分给该接收方的金额 (more than the split gave this receiver, less earlier returns)',
    );
  }
  const record = book.addReturn({
    split: splitRecord,
    part,
    outReturnNo,
    amount: amount as number,
    description,
  });
  deps.onReturned(record);
  return ok(returnJson(record));
}
