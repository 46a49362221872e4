import { findOrThrow } from '../../find-or-throw.js';
import type { PlatformKeys } from '../../keys/platform-keys.js';
import {
  notFound,
  ok,
  param,
  SimulatorError,
  type SimulatorAnswer,
  type SimulatorRequest,
  str,
  type V3Route,
} from '../../v3/answers.js';
import { sensitiveFieldDecryptor } from '../../v3/sensitive-fields.js';
import {
  type AbnormalRefundDestination,
  type RefundBook,
  refundJson,
  type SimulatedRefund,
} from './refund-book.js';

/**
 * 发起异常退款: `POST /v3/refund/domestic/refunds/{refund_id}/apply-abnormal-refund`. Only an
 * ABNORMAL refund may be re-sent; to the payer's card the card number and name arrive
 * encrypted for the key named by `Wechatpay-Serial` and are decrypted here. The refund becomes
 * PROCESSING and `onApplied` settles it like any refund.
 * @see https://pay.weixin.qq.com/docs/merchant/apis/refund/refunds/create-abnormal-refund.html
 */
export function abnormalRefundRoute(
  refunds: RefundBook,
  platformKeys: PlatformKeys,
  onApplied: (refund: SimulatedRefund) => void,
): V3Route {
  return [
    'POST',
    /^\/v3\/refund\/domestic\/refunds\/([^/]+)\/apply-abnormal-refund$/,
    (r, m) => apply(refunds, platformKeys, r, m[1]!, onApplied),
  ];
}

function apply(
  refunds: RefundBook,
  platformKeys: PlatformKeys,
  req: SimulatorRequest,
  refundId: string,
  onApplied: (refund: SimulatedRefund) => void,
): SimulatorAnswer {
  const body = req.json;
  const subMchid = body.sub_mchid as string | undefined;
  const refund = findOrThrow(
    refunds.findById(req.mchid, subMchid, refundId),
    notFound('RESOURCE_NOT_EXISTS', '退款单不存在'),
  );
  if (str(body, 'out_refund_no') !== refund.outRefundNo) {
    throw param('out_refund_no 与退款单不一致 (out_refund_no is not this refund’s)');
  }
  const type = str(body, 'type');
  if (type !== 'USER_BANK_CARD' && type !== 'MERCHANT_BANK_CARD') {
    throw param('type 须为 USER_BANK_CARD 或 MERCHANT_BANK_CARD');
  }
  if (refund.status !== 'ABNORMAL') {
    throw new SimulatorError(
      400,
      'INVALID_REQUEST',
      `退款单状态为${refund.status}，非退款异常，不能发起异常退款 (the refund is not ABNORMAL)`,
    );
  }
  refund.abnormalRefund = destination(req, platformKeys, type);
  refund.status = 'PROCESSING';
  // Its next outcome is a new event, not a redelivery of REFUND.ABNORMAL: a new event id.
  refund.notificationId = undefined;
  onApplied(refund);
  return ok(refundJson(refund));
}

function destination(
  req: SimulatorRequest,
  platformKeys: PlatformKeys,
  type: AbnormalRefundDestination['type'],
): AbnormalRefundDestination {
  if (type === 'MERCHANT_BANK_CARD') return { type };
  const bankType = str(req.json, 'bank_type');
  const decrypt = sensitiveFieldDecryptor(req, platformKeys);
  const bankAccount = decrypt('bank_account', req.json.bank_account);
  const realName = decrypt('real_name', req.json.real_name);
  if (!/^\d{8,30}$/.test(bankAccount)) throw param('bank_account 银行卡号格式错误');
  return { type, bankType, bankAccount, realName };
}
