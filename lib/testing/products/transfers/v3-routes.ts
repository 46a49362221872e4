import { createHash } from 'node:crypto';
import { findOrThrow } from '../../find-or-throw.js';
import type { PlatformKeys } from '../../keys/platform-keys.js';
import { chinaTime } from '../../time.js';
import { SensitiveNames } from '../../v3/sensitive-names.js';
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
import {
  createdJson,
  type SimulatedTransfer,
  type TransferBook,
  transferJson,
} from './transfer-book.js';

const BASE = String.raw`^\/v3\/fund-app\/mch-transfer(\/partner)?`;
const BILLS = `${BASE}\\/transfer-bills`;

/** From ¥2,000 on, WeChat Pay wants the payee's name. */
const NAME_REQUIRED_FROM_FEN = 200_000;

const missing = notFound('NOT_FOUND', '记录不存在 (no such transfer)');

/** What the transfer routes change: a transfer's state (the product notifies). */
export interface TransferRouteHooks {
  /** WAIT_USER_CONFIRM → CANCELING, then CANCELLED (and notified) by the product. */
  cancel(transfer: SimulatedTransfer): void;
}

/**
 * API v3 商家转账 in merchant and partner (`/partner/`) mode: create (idempotent by
 * `out_bill_no`, `user_name` decrypted with the key `Wechatpay-Serial` names), cancel, the two
 * queries, and the electronic receipt (apply, query, download).
 */
export function transfersV3Routes(
  book: TransferBook,
  keys: PlatformKeys,
  hooks: TransferRouteHooks,
): V3Route[] {
  // Transfers check no real name here: WeChat Pay fails a mismatching one later (NAME_NOT_CORRECT).
  const names = new SensitiveNames(keys, new Map());
  const owner = (r: SimulatorRequest, partner: boolean, fromBody: boolean) => {
    const subMchid = fromBody
      ? (r.json.sub_mchid as string | undefined)
      : (r.url.searchParams.get('sub_mchid') ?? undefined);
    if (partner && !subMchid) throw param('sub_mchid 为必填参数 (sub_mchid is required)');
    return partner ? subMchid : undefined;
  };
  const byOutBillNo = (r: SimulatorRequest, partner: boolean, outBillNo: string, body = false) =>
    findOrThrow(book.find(r.mchid, owner(r, partner, body), outBillNo), missing);
  return [
    ['POST', new RegExp(`${BILLS}$`), (r, m) => create(book, names, r, owner(r, !!m[1], true))],
    [
      'POST',
      new RegExp(`${BILLS}\\/out-bill-no\\/([^/]+)\\/cancel$`),
      (r, m) => cancel(byOutBillNo(r, !!m[1], m[2]!, true), hooks),
    ],
    [
      'GET',
      new RegExp(`${BILLS}\\/out-bill-no\\/([^/]+)$`),
      (r, m) => ok(transferJson(byOutBillNo(r, !!m[1], m[2]!))),
    ],
    [
      'GET',
      new RegExp(`${BILLS}\\/transfer-bill-no\\/([^/]+)$`),
      (r, m) =>
        ok(
          transferJson(
            findOrThrow(
              book.findByTransferBillNo(r.mchid, owner(r, !!m[1], false), m[2]!),
              missing,
            ),
          ),
        ),
    ],
    [
      'POST',
      /^\/v3\/fund-app\/mch-transfer\/(?:(partner)\/electronic-receipts|elecsign\/out-bill-no)$/,
      (r, m) => applyReceipt(byOutBillNo(r, !!m[1], str(r.json, 'out_bill_no'), true), !!m[1]),
    ],
    [
      'GET',
      /^\/v3\/fund-app\/mch-transfer\/(?:(partner)\/electronic-receipts|elecsign\/out-bill-no)\/([^/]+)$/,
      (r, m) => queryReceipt(byOutBillNo(r, !!m[1], m[2]!), !!m[1], r.baseUrl),
    ],
    ['GET', /^\/v3\/transferdownload\/signfile$/, (r) => downloadReceipt(book, r)],
  ];
}

function create(
  book: TransferBook,
  names: SensitiveNames,
  r: SimulatorRequest,
  subMchid: string | undefined,
): SimulatorAnswer {
  const body = r.json;
  const outBillNo = str(body, 'out_bill_no');
  if (!/^[A-Za-z0-9]{1,32}$/.test(outBillNo)) throw param('out_bill_no 只能由数字、大小写字母组成');
  const amount = body.transfer_amount;
  if (!Number.isInteger(amount) || (amount as number) <= 0)
    throw param('transfer_amount 必须为正整数 (in fen)');
  const infos = body.transfer_scene_report_infos;
  if (!Array.isArray(infos) || infos.length === 0)
    throw param('需传入转账场景报备信息,请检查 (transfer_scene_report_infos is required)');
  const userName = names.decrypt(r, body.user_name, 'user_name');
  if ((amount as number) >= NAME_REQUIRED_FROM_FEN && userName === undefined)
    throw param('转账金额 >= 2,000元时,user_name 必须填写');
  const fields = {
    mchid: r.mchid,
    subMchid,
    outBillNo,
    appid: str(body, 'appid'),
    sceneId: str(body, 'transfer_scene_id'),
    openid: str(body, 'openid'),
    amount: amount as number,
    remark: str(body, 'transfer_remark'),
    encryptedUserName: body.user_name as string | undefined,
    userName,
    notifyUrl: body.notify_url as string | undefined,
  };
  // The same request is recognised by its meaning: the name by its plain text, since each
  // encryption of it differs.
  const fingerprint = JSON.stringify([
    fields.appid,
    fields.sceneId,
    fields.openid,
    fields.amount,
    fields.remark,
    userName,
    fields.notifyUrl,
    body.user_recv_perception,
    infos,
  ]);
  const existing = book.find(r.mchid, subMchid, outBillNo);
  if (existing) {
    if (existing.fingerprint !== fingerprint) {
      throw new SimulatorError(400, 'INVALID_REQUEST', '单号已存在但信息不一致,请查单后比较确认');
    }
    return ok(createdJson(existing));
  }
  return ok(createdJson(book.add({ ...fields, fingerprint })));
}

function cancel(transfer: SimulatedTransfer, hooks: TransferRouteHooks): SimulatorAnswer {
  if (['ACCEPTED', 'PROCESSING', 'WAIT_USER_CONFIRM'].includes(transfer.state)) {
    hooks.cancel(transfer);
  } else if (transfer.state !== 'CANCELING' && transfer.state !== 'CANCELLED') {
    throw new SimulatorError(
      400,
      'INVALID_REQUEST',
      `当前单据状态(${transfer.state})不支持撤销 (only a transfer the user has not confirmed can be cancelled)`,
    );
  }
  return ok({
    out_bill_no: transfer.outBillNo,
    transfer_bill_no: transfer.transferBillNo,
    state: transfer.state,
    update_time: chinaTime(transfer.updatedAt),
  });
}

function applyReceipt(transfer: SimulatedTransfer, partner: boolean): SimulatorAnswer {
  if (transfer.state !== 'SUCCESS')
    throw new SimulatorError(400, 'INVALID_REQUEST', '仅支持付款成功的转账单据申请电子回单');
  if (transfer.userName === undefined)
    throw new SimulatorError(400, 'INVALID_REQUEST', '仅支持传入姓名的转账单据申请电子回单');
  const now = new Date();
  transfer.receipt ??= { state: 'GENERATING', createdAt: now, updatedAt: now };
  return ok({
    ...(partner ? { sub_mchid: transfer.subMchid, out_bill_no: transfer.outBillNo } : {}),
    state: transfer.receipt.state,
    create_time: chinaTime(transfer.receipt.createdAt),
  });
}

/** A receipt is generated by the time it is first queried. */
function queryReceipt(
  transfer: SimulatedTransfer,
  partner: boolean,
  baseUrl: string,
): SimulatorAnswer {
  const receipt = findOrThrow(
    transfer.receipt,
    notFound('NOT_FOUND', '电子回单申请单不存在,请先申请 (apply for the receipt first)'),
  );
  if (receipt.state === 'GENERATING') {
    receipt.state = 'FINISHED';
    receipt.updatedAt = new Date();
    receipt.file = Buffer.from(
      `%PDF-1.4\n% 商家转账电子回单 ${transfer.transferBillNo} ${transfer.amount}\n%%EOF\n`,
    );
    receipt.token = createHash('sha256').update(transfer.transferBillNo).digest('hex');
  }
  return ok({
    ...(partner ? { sub_mchid: transfer.subMchid, out_bill_no: transfer.outBillNo } : {}),
    state: receipt.state,
    create_time: chinaTime(receipt.createdAt),
    update_time: chinaTime(receipt.updatedAt),
    hash_type: 'SHA256',
    hash_value: createHash('sha256').update(receipt.file!).digest('hex').toUpperCase(),
    download_url: `${baseUrl}/v3/transferdownload/signfile?token=${receipt.token}`,
  });
}

function downloadReceipt(book: TransferBook, r: SimulatorRequest): SimulatorAnswer {
  const token = r.url.searchParams.get('token');
  const transfer = findOrThrow(
    book.all().find((t) => t.mchid === r.mchid && t.receipt?.token === token),
    notFound('NOT_FOUND', '回单文件不存在或下载地址已过期'),
  );
  return { status: 200, file: transfer.receipt!.file };
}
