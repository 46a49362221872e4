import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WechatPayApiError, WechatPayValidationError } from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { type CombineApp, startCombineApp } from '../support/combine-app.js';
import { ADAPTERS } from '../support/nest-app.js';
import { NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

const SUB_MCHID = '1900000109';
const CARD = '6222020200112233445';
const NAME = '张三';

describe.each([
  ['merchant', 'certificate'],
  ['partner', 'publicKey'],
] as const)('abnormal refunds in %s mode (%s verification)', (mode, verification) => {
  describe.each(ADAPTERS)('on %s', (adapter) => {
    let simulator: WechatPaySimulator;
    let shop: CombineApp;

    beforeAll(async () => {
      simulator = await new WechatPaySimulator({ backup: false, verification }).start();
      shop = await startCombineApp(
        adapter,
        simulator.moduleOptions(mode === 'partner' ? { mode, subMchid: SUB_MCHID } : {}),
      );
    });
    afterAll(async () => {
      await shop.app.close();
      await simulator.stop();
    });

    /** A paid order refunded in full, whose refund the bank returned: ABNORMAL. */
    async function abnormalRefund() {
      const outTradeNo = orderNo('ABN');
      await shop.wechatPay.payments.prepayNative({
        description: 'abnormal',
        out_trade_no: outTradeNo,
        amount: { total: 500 },
        notify_url: NO_RECEIVER_NOTIFY_URL,
      });
      simulator.pay(outTradeNo);
      const refund = await shop.wechatPay.refunds.create({
        out_trade_no: outTradeNo,
        out_refund_no: `R${outTradeNo}`,
        amount: { refund: 500, total: 500 },
        notify_url: shop.refundNotifyUrl,
      });
      simulator.completeRefund(refund.out_refund_no, 'ABNORMAL');
      await simulator.waitForDelivery(
        (d) => d.eventType === 'REFUND.ABNORMAL' && d.url === shop.refundNotifyUrl,
      );
      return refund;
    }

    it('sends an ABNORMAL refund to the payer’s card with the card number and name encrypted, then settles it', async () => {
      const refund = await abnormalRefund();
      expect(shop.ledger.refunds.at(-1)).toMatchObject({
        refund_id: refund.refund_id,
        refund_status: 'ABNORMAL',
      });

      const applied = await shop.wechatPay.refunds.applyAbnormalRefund(refund.refund_id, {
        out_refund_no: refund.out_refund_no,
        type: 'USER_BANK_CARD',
        bank_type: 'ICBC_DEBIT',
        bank_account: CARD,
        real_name: NAME,
      });
      expect(applied).toMatchObject({
        refund_id: refund.refund_id,
        status: 'PROCESSING',
        channel: 'OTHER_BANKCARD',
      });
      // The simulator could only read them by decrypting with the key Wechatpay-Serial named.
      expect(simulator.state.findAnyRefund(refund.out_refund_no)?.abnormalRefund).toEqual({
        type: 'USER_BANK_CARD',
        bankType: 'ICBC_DEBIT',
        bankAccount: CARD,
        realName: NAME,
      });
      const request = simulator.requests.at(-1)!;
      expect(request.path).toBe(
        `/v3/refund/domestic/refunds/${refund.refund_id}/apply-abnormal-refund`,
      );
      expect(request.status).toBe(200);

      simulator.completeRefund(refund.out_refund_no);
      await simulator.waitForDelivery(
        (d) => d.eventType === 'REFUND.SUCCESS' && d.url === shop.refundNotifyUrl,
      );
      expect(shop.ledger.refunds.at(-1)).toMatchObject({
        refund_id: refund.refund_id,
        refund_status: 'SUCCESS',
        user_received_account: 'ICBC_DEBIT(3445)',
      });
      expect((await shop.wechatPay.refunds.query(refund.out_refund_no)).status).toBe('SUCCESS');
    });

    it('sends an ABNORMAL refund to the merchant’s bank account without any card field', async () => {
      const refund = await abnormalRefund();
      const applied = await shop.wechatPay.refunds.applyAbnormalRefund(refund.refund_id, {
        out_refund_no: refund.out_refund_no,
        type: 'MERCHANT_BANK_CARD',
      });
      expect(applied).toMatchObject({ status: 'PROCESSING', channel: 'OTHER_BANKCARD' });
      expect(simulator.state.findAnyRefund(refund.out_refund_no)?.abnormalRefund).toEqual({
        type: 'MERCHANT_BANK_CARD',
      });
    });

    it('is refused by the simulator, as by WeChat Pay, when Wechatpay-Serial names no key of its own', async () => {
      const refund = await abnormalRefund();
      const { ciphertext } = await shop.wechatPay.encryptSensitive(CARD);
      const answer = shop.wechatPay.request(
        'POST',
        `/v3/refund/domestic/refunds/${refund.refund_id}/apply-abnormal-refund`,
        {
          out_refund_no: refund.out_refund_no,
          type: 'USER_BANK_CARD',
          bank_type: 'ICBC_DEBIT',
          bank_account: ciphertext,
          real_name: ciphertext,
          ...(mode === 'partner' ? { sub_mchid: SUB_MCHID } : {}),
        },
        { wechatpaySerial: 'PUB_KEY_ID_0000000000000000000000000000' },
      );
      await expect(answer).rejects.toMatchObject({ status: 400, code: 'PARAM_ERROR' });
      expect((await shop.wechatPay.refunds.query(refund.out_refund_no)).status).toBe('ABNORMAL');
    });

    it('is refused by WeChat Pay for a refund that is not ABNORMAL, and before sending without the card', async () => {
      const refund = await abnormalRefund();
      const apply = {
        out_refund_no: refund.out_refund_no,
        type: 'USER_BANK_CARD' as const,
        bank_type: 'ICBC_DEBIT',
        bank_account: CARD,
        real_name: NAME,
      };
      await shop.wechatPay.refunds.applyAbnormalRefund(refund.refund_id, apply);
      // Now PROCESSING again: a second application is refused.
      const again = shop.wechatPay.refunds.applyAbnormalRefund(refund.refund_id, apply);
      await expect(again).rejects.toBeInstanceOf(WechatPayApiError);
      await expect(again).rejects.toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
      const error = (await again.catch((e: unknown) => e)) as Error;
      expect(error.message).not.toContain(CARD);
      expect(error.message).not.toContain(NAME);

      const sent = simulator.requests.length;
      const missing = shop.wechatPay.refunds.applyAbnormalRefund(refund.refund_id, {
        out_refund_no: refund.out_refund_no,
        type: 'USER_BANK_CARD',
        bank_type: 'ICBC_DEBIT',
        real_name: NAME,
      });
      await expect(missing).rejects.toBeInstanceOf(WechatPayValidationError);
      await expect(missing).rejects.toThrow(/bank_account/);
      const badCard = await shop.wechatPay.refunds
        .applyAbnormalRefund(refund.refund_id, { ...apply, bank_account: '6222-0202 secret' })
        .then(
          () => undefined,
          (e: unknown) => e as Error,
        );
      expect(badCard).toBeInstanceOf(WechatPayValidationError);
      expect(badCard?.message).not.toContain('secret');
      expect(simulator.requests.length).toBe(sent);
    });
  });
});
