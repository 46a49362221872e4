import { V2Failure } from '../../v2/answers.js';
import type { V2Route } from '../../v2/route.js';
import type { OrderBook, SimulatedOrder } from '../payments/orders.js';
import { v2OrderFields } from '../payments/transaction.js';
import { findV2Order } from '../payments/v2-routes.js';
import type { SimulatedTill } from './till.js';

const REQUIRED = ['appid', 'body', 'out_trade_no', 'total_fee', 'spbill_create_ip', 'auth_code'];

/** What v2 answers for an order number used before, by the order's state. */
const REUSED: Partial<Record<SimulatedOrder['state'], [code: string, description: string]>> = {
  REVOKED: ['ORDERREVERSED', '订单已撤销'],
  CLOSED: ['ORDERCLOSED', '订单已关闭'],
  PAYERROR: ['TRADE_ERROR', '交易错误'],
};

/**
 * API v2 code payments: `micropay` (USERPAYING, NOTENOUGH, AUTH_CODE_INVALID …) and `reverse`
 * (`recall: Y` with SYSTEMERROR when a test asks for a reversal to be sent again).
 */
export function codePaymentsV2Routes(
  orders: OrderBook,
  till: SimulatedTill,
): Record<string, V2Route> {
  return {
    '/pay/micropay': ({ fields: f, merchant, signType, sandbox }) => {
      for (const field of REQUIRED) {
        if (!f[field]) throw new V2Failure('PARAM_ERROR', `缺少参数${field}`);
      }
      const total = Number(f.total_fee);
      if (!Number.isInteger(total) || total <= 0)
        throw new V2Failure('PARAM_ERROR', 'total_fee必须为正整数');
      const result = till.charge(
        {
          mchid: merchant.mchid,
          subMchid: f.sub_mch_id,
          appid: f.appid!,
          subAppid: f.sub_appid,
          outTradeNo: f.out_trade_no!,
          description: f.body!,
          total,
          currency: f.fee_type ?? 'CNY',
          attach: f.attach,
          notifyUrl: '',
          apiVersion: 'v2',
          v2SignType: signType,
          v2Sandbox: sandbox,
        },
        f.auth_code!,
      );
      switch (result.kind) {
        case 'paid':
          return { fields: v2OrderFields(result.order) };
        case 'userpaying':
          throw new V2Failure('USERPAYING', '需要用户输入支付密码');
        case 'reused': {
          const [code, description] = REUSED[result.order.state] ?? ['ORDERPAID', '订单已支付'];
          throw new V2Failure(code, description);
        }
        case 'refused':
          throw result.reason === 'auth-code'
            ? new V2Failure(
                'AUTH_CODE_INVALID',
                '请扫描微信支付授权码(以10/11/12/13/14/15为前缀的18位数字)',
              )
            : new V2Failure('NOTENOUGH', '余额不足');
      }
    },
    '/secapi/pay/reverse': (r) => {
      const order = findV2Order(orders, r);
      if (till.reverse(order) === 'retry') {
        throw new V2Failure('SYSTEMERROR', '系统错误', { recall: 'Y' });
      }
      return { fields: { recall: 'N' } };
    },
  };
}
