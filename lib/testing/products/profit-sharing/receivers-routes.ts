import { RECEIVER_TYPES } from '../../../core/products/profit-sharing/profit-sharing.dto.js';
import type { ProfitSharingReceiverType } from '../../../core/products/profit-sharing/profit-sharing.types.js';
import { ok, param, str, type SimulatorRequest, type V3Route } from '../../v3/answers.js';
import type { ProfitSharingBook } from './profit-sharing-book.js';
import type { SensitiveNames } from '../../v3/sensitive-names.js';

/** The sub-merchant a partner's request is for, from its body or query. */
export function requestSubMchid(req: SimulatorRequest): string | undefined {
  const value = req.json.sub_mchid ?? req.url.searchParams.get('sub_mchid') ?? undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A receiver type the API knows. */
export function receiverType(value: unknown, field = 'type'): ProfitSharingReceiverType {
  if (!RECEIVER_TYPES.includes(value as ProfitSharingReceiverType)) {
    throw param(`${field} 取值错误 (${field} must be one of ${RECEIVER_TYPES.join(', ')})`);
  }
  return value as ProfitSharingReceiverType;
}

/** API v3 `receivers/add` and `receivers/delete`: names decrypted and checked when known. */
export function receiversRoutes(book: ProfitSharingBook, names: SensitiveNames): V3Route[] {
  return [
    [
      'POST',
      /^\/v3\/profitsharing\/receivers\/add$/,
      (req) => {
        const subMchid = requestSubMchid(req);
        str(req.json, 'appid');
        const type = receiverType(req.json.type);
        const account = str(req.json, 'account');
        const relationType = str(req.json, 'relation_type');
        const customRelation = req.json.custom_relation as string | undefined;
        if (relationType === 'CUSTOM' && !customRelation)
          throw param('custom_relation 为必填参数 (relation_type is CUSTOM)');
        const name = names.decrypt(req, req.json.name, 'name');
        if (type === 'MERCHANT_ID' && name === undefined)
          throw param('name 为必填参数：接收方类型为 MERCHANT_ID 时须填写商户全称');
        names.check(account, name, type);
        book.receiversOf(req.mchid, subMchid).set(`${type}/${account}`, {
          type,
          account,
          name,
          relationType,
          customRelation,
        });
        return ok({
          ...(subMchid ? { sub_mchid: subMchid } : {}),
          type,
          account,
          relation_type: relationType,
          ...(customRelation ? { custom_relation: customRelation } : {}),
        });
      },
    ],
    [
      'POST',
      /^\/v3\/profitsharing\/receivers\/delete$/,
      (req) => {
        const subMchid = requestSubMchid(req);
        str(req.json, 'appid');
        const type = receiverType(req.json.type);
        const account = str(req.json, 'account');
        book.receiversOf(req.mchid, subMchid).delete(`${type}/${account}`);
        return ok({ ...(subMchid ? { sub_mchid: subMchid } : {}), type, account });
      },
    ],
  ];
}
