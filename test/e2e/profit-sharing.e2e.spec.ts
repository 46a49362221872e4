import { Controller, Injectable, type INestApplication, Module, Post } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InjectWechatPay,
  type NotificationEnvelope,
  type ProfitSharingNotification,
  useWechatPayRawBody,
  WechatNotification,
  WechatNotify,
  WechatPayApiError,
  WechatPayModule,
  WechatPayload,
  WechatPayService,
  type WechatPayMode,
} from '../../lib/index.js';
import { createTestMerchant, WechatPaySimulator } from '../../lib/testing/index.js';
import { ADAPTERS, startApp } from '../support/nest-app.js';
import { NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

const SHOP_NAME = '示例小店有限公司';
const PERSON_OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';
const PERSON_NAME = '张三';
const SUB_MCHID = '1900000109';
const NOTIFY_PATH = '/wechatpay/profit-sharing/notify';

/** What the shop's handler received: each event once, however often it is delivered. */
@Injectable()
class ShopLedger {
  readonly events: { type: string; payload: ProfitSharingNotification }[] = [];
  calls = 0;
  /** Throw on this many upcoming invocations (a database outage). */
  failNext = 0;
}

/** The shop, a merchant receiver of the marketplace's splits, learns of them here. */
@Controller('wechatpay')
class ShopNotifyController {
  constructor(private readonly ledger: ShopLedger) {}

  @Post('profit-sharing/notify')
  @WechatNotify({ merchant: 'shop', events: ['PROFITSHARING.SUCCESS', 'PROFITSHARING.RETURN'] })
  async received(
    @WechatPayload() payload: ProfitSharingNotification,
    @WechatNotification() envelope: NotificationEnvelope,
  ): Promise<void> {
    this.ledger.calls += 1;
    if (this.ledger.failNext > 0) {
      this.ledger.failNext -= 1;
      throw new Error('database unavailable');
    }
    // Slow enough that concurrent duplicates overlap with the first delivery.
    await new Promise((resolve) => setTimeout(resolve, 30));
    this.ledger.events.push({ type: envelope.event_type, payload });
  }
}

/** The marketplace (the default registration) and the shop (a named one), both injected. */
@Injectable()
class Services {
  constructor(
    readonly marketplace: WechatPayService,
    @InjectWechatPay('shop') readonly shop: WechatPayService,
  ) {}
}

const isApiError = (status: number, code: string) => (error: unknown) =>
  error instanceof WechatPayApiError && error.status === status && error.code === code;

describe.each(ADAPTERS)('profit sharing (分账) on %s', (adapter) => {
  describe.each<WechatPayMode>(['merchant', 'partner'])('in %s mode', (mode) => {
    let simulator: WechatPaySimulator;
    let app: INestApplication;
    let marketplace: WechatPayService;
    let ledger: ShopLedger;
    const shop = createTestMerchant();
    /** The key names are encrypted for: a certificate in merchant mode, a public key in partner mode. */
    let serial: string;

    beforeAll(async () => {
      simulator = await new WechatPaySimulator({
        backup: false,
        // WeChat Pay's redelivery schedule, a thousand times faster.
        notifications: { timeScale: 0.001 },
        verification: mode === 'partner' ? 'publicKey' : 'certificate',
      }).start();
      simulator.addMerchant(shop);
      serial = mode === 'partner' ? simulator.publicKeyId : simulator.platformSerial;
      @Module({
        imports: [
          WechatPayModule.forRoot(
            simulator.moduleOptions({
              notifyUrl: NO_RECEIVER_NOTIFY_URL,
              ...(mode === 'partner' ? { mode, subMchid: SUB_MCHID } : {}),
            }),
          ),
          WechatPayModule.forRoot({ name: 'shop', ...simulator.moduleOptions({ merchant: shop }) }),
        ],
        controllers: [ShopNotifyController],
        providers: [Services, ShopLedger],
      })
      class AppModule {}
      const started = await startApp(AppModule, adapter, false, (a) => useWechatPayRawBody(a));
      app = started.app;
      ({ marketplace } = app.get(Services));
      ledger = app.get(ShopLedger);
      // The shop's merchant platform setting, and the real names WeChat Pay knows.
      simulator.setProfitSharingNotifyUrl(shop.mchid, `${started.url}${NOTIFY_PATH}`);
      simulator.setRealName(shop.mchid, SHOP_NAME);
      simulator.setRealName(PERSON_OPENID, PERSON_NAME);
      await marketplace.profitSharing.addReceiver({
        type: 'MERCHANT_ID',
        account: shop.mchid,
        name: SHOP_NAME,
        relation_type: 'STORE',
      });
      await marketplace.profitSharing.addReceiver({
        type: 'PERSONAL_OPENID',
        account: PERSON_OPENID,
        name: PERSON_NAME,
        relation_type: 'USER',
      });
    });
    afterAll(async () => {
      await app.close();
      await simulator.stop();
    });

    /** A paid 1000-fen order, frozen for profit sharing unless `profitSharing` is false. */
    async function paidOrder(profitSharing = true): Promise<string> {
      const outTradeNo = orderNo('PS');
      await marketplace.payments.prepayNative({
        description: 'marketplace order',
        out_trade_no: outTradeNo,
        amount: { total: 1000 },
        settle_info: { profit_sharing: profitSharing },
      });
      return simulator.pay(outTradeNo).transaction_id!;
    }

    const split = (transactionId: string, outOrderNo: string, shopAmount = 300) =>
      marketplace.profitSharing.split({
        transaction_id: transactionId,
        out_order_no: outOrderNo,
        receivers: [
          { type: 'MERCHANT_ID', account: shop.mchid, amount: shopAmount, description: 'shop' },
          {
            type: 'PERSONAL_OPENID',
            account: PERSON_OPENID,
            name: PERSON_NAME,
            amount: 200,
            description: 'referral',
          },
        ],
        unfreeze_unsplit: false,
      });

    it('pays, splits to two receivers, notifies the shop once, returns part, unfreezes the rest', async () => {
      const transactionId = await paidOrder();
      expect(await marketplace.profitSharing.unsplitAmount(transactionId)).toEqual({
        transaction_id: transactionId,
        unsplit_amount: 1000,
      });

      const outOrderNo = orderNo('SPLIT');
      const accepted = await split(transactionId, outOrderNo);
      expect(accepted).toMatchObject({ out_order_no: outOrderNo, state: 'PROCESSING' });
      // The name went encrypted for the key the Wechatpay-Serial header names.
      const splitRequest = simulator.requests.findLast(
        (r) => r.path === '/v3/profitsharing/orders',
      );
      expect(splitRequest).toMatchObject({ status: 200, wechatpaySerial: serial });
      expect((await marketplace.profitSharing.unsplitAmount(transactionId)).unsplit_amount).toBe(
        500,
      );

      simulator.finishProfitSharing(outOrderNo);
      const delivered = await simulator.waitForDelivery(
        (d) => d.eventType === 'PROFITSHARING.SUCCESS' && d.status === 200,
      );
      expect(delivered.url).toContain(NOTIFY_PATH);
      const duplicates = await simulator.deliverProfitSharing(outOrderNo, shop.mchid, {
        copies: 3,
      });
      expect(duplicates.map((d) => d.status)).toEqual([200, 200, 200]);
      const successes = ledger.events.filter((e) => e.payload.out_order_no === outOrderNo);
      expect(successes).toHaveLength(1);
      expect(successes[0]).toMatchObject({
        type: 'PROFITSHARING.SUCCESS',
        payload: {
          transaction_id: transactionId,
          receiver: { type: 'MERCHANT_ID', account: shop.mchid, amount: 300 },
          ...(mode === 'partner'
            ? { sp_mchid: simulator.merchant.mchid, sub_mchid: SUB_MCHID }
            : { mchid: simulator.merchant.mchid }),
        },
      });

      const finished = await marketplace.profitSharing.query(outOrderNo, transactionId);
      expect(finished.state).toBe('FINISHED');
      expect(finished.receivers?.map((r) => [r.account, r.amount, r.result])).toEqual([
        [shop.mchid, 300, 'SUCCESS'],
        [PERSON_OPENID, 200, 'SUCCESS'],
      ]);

      const outReturnNo = orderNo('RET');
      const returned = await marketplace.profitSharing.returnSplit({
        out_order_no: outOrderNo,
        out_return_no: outReturnNo,
        return_mchid: shop.mchid,
        amount: 100,
        description: 'payer refunded',
      });
      expect(returned).toMatchObject({ result: 'SUCCESS', amount: 100, return_mchid: shop.mchid });
      expect(await marketplace.profitSharing.queryReturn(outReturnNo, outOrderNo)).toMatchObject({
        out_return_no: outReturnNo,
        result: 'SUCCESS',
      });
      await simulator.waitForDelivery(
        (d) => d.eventType === 'PROFITSHARING.RETURN' && d.status === 200,
      );
      expect(
        ledger.events.filter((e) => e.type === 'PROFITSHARING.RETURN').map((e) => e.payload),
      ).toMatchObject([{ out_order_no: outReturnNo, receiver: { amount: 100 } }]);

      const outUnfreezeNo = orderNo('UNF');
      const unfreezing = await marketplace.profitSharing.unfreeze({
        transaction_id: transactionId,
        out_order_no: outUnfreezeNo,
        description: 'the rest is ours',
      });
      expect(unfreezing.receivers).toMatchObject([{ type: 'MERCHANT_ID', amount: 500 }]);
      expect(await marketplace.profitSharing.unsplitAmount(transactionId)).toEqual({
        transaction_id: transactionId,
        unsplit_amount: 0,
      });
      simulator.finishProfitSharing(outUnfreezeNo);
      expect((await marketplace.profitSharing.query(outUnfreezeNo, transactionId)).state).toBe(
        'FINISHED',
      );
      expect(ledger.calls).toBe(2);
    });

    it('redelivers on the official schedule when the shop fails, until handled once', async () => {
      const transactionId = await paidOrder();
      const outOrderNo = orderNo('RETRY');
      await split(transactionId, outOrderNo);
      ledger.failNext = 1;
      const callsBefore = ledger.calls;
      simulator.finishProfitSharing(outOrderNo);
      const retried = await simulator.waitForDelivery(
        (d) => d.eventType === 'PROFITSHARING.SUCCESS' && d.attempt === 2,
      );
      expect(retried.status).toBe(200);
      const attempts = simulator.deliveries.filter((d) => d.id === retried.id);
      expect(attempts.map((d) => [d.attempt, d.status])).toEqual([
        [1, 500],
        [2, 200],
      ]);
      // 15 s before the first retry, scaled.
      expect(attempts[1]!.at.getTime() - attempts[0]!.at.getTime()).toBeGreaterThanOrEqual(14);
      expect(ledger.calls - callsBefore).toBe(2);
      expect(ledger.events.filter((e) => e.payload.out_order_no === outOrderNo)).toHaveLength(1);
    });

    it('refuses splits beyond what is frozen, to receivers not added, and of unfrozen payments', async () => {
      const transactionId = await paidOrder();
      await expect(split(transactionId, orderNo('BIG'), 900)).rejects.toSatisfy(
        isApiError(403, 'NOT_ENOUGH'),
      );
      await expect(
        marketplace.profitSharing.split({
          transaction_id: transactionId,
          out_order_no: orderNo('STRANGER'),
          receivers: [{ type: 'MERCHANT_ID', account: '1900009999', amount: 1, description: 'x' }],
          unfreeze_unsplit: false,
        }),
      ).rejects.toSatisfy(isApiError(400, 'PARAM_ERROR'));
      await marketplace.profitSharing.split({
        transaction_id: transactionId,
        out_order_no: orderNo('ALL'),
        receivers: [{ type: 'MERCHANT_ID', account: shop.mchid, amount: 100, description: 'x' }],
        unfreeze_unsplit: true,
      });
      expect((await marketplace.profitSharing.unsplitAmount(transactionId)).unsplit_amount).toBe(0);
      await expect(split(transactionId, orderNo('LATE'))).rejects.toSatisfy(
        isApiError(403, 'NOT_ENOUGH'),
      );
      await expect(
        marketplace.profitSharing.unfreeze({
          transaction_id: transactionId,
          out_order_no: orderNo('UNF'),
          description: 'nothing left',
        }),
      ).rejects.toSatisfy(isApiError(403, 'NOT_ENOUGH'));
    });

    it('refuses a split of a payment not placed for profit sharing', async () => {
      const transactionId = await paidOrder(false);
      await expect(split(transactionId, orderNo('NOPS'))).rejects.toSatisfy(
        isApiError(400, 'INVALID_REQUEST'),
      );
    });

    it('refuses a return beyond what the split gave the receiver, and from a non-receiver', async () => {
      const transactionId = await paidOrder();
      const outOrderNo = orderNo('SPLIT');
      await split(transactionId, outOrderNo);
      simulator.finishProfitSharing(outOrderNo);
      const returnOf = (amount: number, returnMchid = shop.mchid) =>
        marketplace.profitSharing.returnSplit({
          out_order_no: outOrderNo,
          out_return_no: orderNo('RET'),
          return_mchid: returnMchid,
          amount,
          description: 'x',
        });
      await expect(returnOf(301)).rejects.toSatisfy(isApiError(400, 'INVALID_REQUEST'));
      await returnOf(200);
      await expect(returnOf(101)).rejects.toSatisfy(isApiError(400, 'INVALID_REQUEST'));
      await expect(returnOf(1, '1900009999')).rejects.toSatisfy(isApiError(400, 'INVALID_REQUEST'));
      await expect(returnOf(100)).resolves.toMatchObject({ result: 'SUCCESS' });
    });

    it('checks the encrypted names: a wrong real name and a deleted receiver are refused', async () => {
      const transactionId = await paidOrder();
      await expect(
        marketplace.profitSharing.split({
          transaction_id: transactionId,
          out_order_no: orderNo('NAME'),
          receivers: [
            {
              type: 'PERSONAL_OPENID',
              account: PERSON_OPENID,
              name: '李四',
              amount: 1,
              description: 'x',
            },
          ],
          unfreeze_unsplit: false,
        }),
      ).rejects.toSatisfy(isApiError(400, 'PARAM_ERROR'));
      await expect(
        marketplace.profitSharing.addReceiver({
          type: 'MERCHANT_ID',
          account: shop.mchid,
          name: 'Not the shop',
          relation_type: 'STORE',
        }),
      ).rejects.toSatisfy(isApiError(400, 'PARAM_ERROR'));

      const temporary = '1900008888';
      simulator.setRealName(temporary, '临时商户');
      await marketplace.profitSharing.addReceiver({
        type: 'MERCHANT_ID',
        account: temporary,
        name: '临时商户',
        relation_type: 'PARTNER',
      });
      expect(
        await marketplace.profitSharing.deleteReceiver({ type: 'MERCHANT_ID', account: temporary }),
      ).toMatchObject({ type: 'MERCHANT_ID', account: temporary });
      await expect(
        marketplace.profitSharing.split({
          transaction_id: transactionId,
          out_order_no: orderNo('GONE'),
          receivers: [{ type: 'MERCHANT_ID', account: temporary, amount: 1, description: 'x' }],
          unfreeze_unsplit: false,
        }),
      ).rejects.toSatisfy(isApiError(400, 'PARAM_ERROR'));
    });

    it('refuses names sent in plain text or for a key WeChat Pay does not have', async () => {
      const body = {
        ...(mode === 'partner' ? { sub_mchid: SUB_MCHID } : {}),
        appid: simulator.merchant.appid,
        type: 'PERSONAL_OPENID',
        account: PERSON_OPENID,
        relation_type: 'USER',
      };
      const { ciphertext } = await marketplace.encryptSensitive(PERSON_NAME);
      await expect(
        marketplace.request('POST', '/v3/profitsharing/receivers/add', {
          ...body,
          name: PERSON_NAME,
        }),
      ).rejects.toSatisfy(isApiError(400, 'PARAM_ERROR'));
      await expect(
        marketplace.request(
          'POST',
          '/v3/profitsharing/receivers/add',
          { ...body, name: ciphertext },
          { wechatpaySerial: 'PUB_KEY_ID_0000000000000000000000000000' },
        ),
      ).rejects.toSatisfy(isApiError(400, 'PARAM_ERROR'));
    });

    it('downloads the profit-sharing bill, hash-checked', async () => {
      const transactionId = await paidOrder();
      const outOrderNo = orderNo('BILL');
      await split(transactionId, outOrderNo);
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const bill = await marketplace.profitSharing.bill({
        bill_date: today,
        ...(mode === 'partner' ? { sub_mchid: SUB_MCHID } : {}),
        tar_type: 'GZIP',
      });
      const text = await marketplace.profitSharing.downloadBillText(bill, { gzip: true });
      expect(text).toContain(outOrderNo);
      expect(text).toContain(`\`${shop.mchid}`);
    });
  });
});
