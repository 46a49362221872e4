import { Controller, Injectable, type INestApplication, Module, Post } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type TransferBillDto,
  type TransferBillNotification,
  useWechatPayRawBody,
  WechatNotify,
  resolveWechatPayConfig,
  WechatPayApiError,
  WechatPayClient,
  WechatPayModule,
  WechatPayload,
  WechatPayService,
  WechatPayTransferUnclearError,
  WechatPayValidationError,
} from '../../lib/index.js';
import { createTestMerchant, WechatPaySimulator } from '../../lib/testing/index.js';
import { ADAPTERS, type AdapterName, startApp } from '../support/nest-app.js';
import { bootWechatPay, orderNo } from '../support/wechatpay-app.js';

/** What the transfer handler did. */
@Injectable()
class TransferLedger {
  readonly finished: TransferBillNotification[] = [];
}

@Controller('wechatpay')
class TransferNotifyController {
  constructor(private readonly ledger: TransferLedger) {}

  @Post('transfer-notify')
  @WechatNotify({ events: ['MCHTRANSFER.BILL.FINISHED'] })
  finished(@WechatPayload() bill: TransferBillNotification): void {
    this.ledger.finished.push(bill);
  }
}

const SUB_MCHID = '1900000109';
const MODES = ['merchant', 'partner'] as const;

/** A reward of `amount` fen to the simulator's test user. */
function reward(outBillNo: string, amount = 500, extra: Partial<TransferBillDto> = {}) {
  return {
    out_bill_no: outBillNo,
    transfer_scene_id: '1000',
    openid: 'o-reward-user',
    transfer_amount: amount,
    transfer_remark: '新会员奖励',
    user_name: '张三',
    transfer_scene_report_infos: [
      { info_type: '活动名称', info_content: '新会员有礼' },
      { info_type: '奖励说明', info_content: '注册奖励5元' },
    ],
    ...extra,
  };
}

describe.each(MODES.flatMap((mode) => ADAPTERS.map((adapter) => [mode, adapter] as const)))(
  '商家转账 (%s mode, %s)',
  (mode: (typeof MODES)[number], adapter: AdapterName) => {
    let simulator: WechatPaySimulator;
    let app: INestApplication;
    let appUrl: string;
    let wechatPay: WechatPayService;
    let ledger: TransferLedger;
    const partner = mode === 'partner';

    beforeAll(async () => {
      simulator = await new WechatPaySimulator().start();
      // The notify URL needs the port, which is known once the app listens: set it per call.
      @Module({
        imports: [
          WechatPayModule.forRoot(
            simulator.moduleOptions({
              ...(partner ? { mode: 'partner' as const, subMchid: SUB_MCHID } : {}),
              timeout: 1500,
            }),
          ),
        ],
        controllers: [TransferNotifyController],
        providers: [TransferLedger],
      })
      class AppModule {}
      ({ app, url: appUrl } = await startApp(AppModule, adapter, false, (a) =>
        useWechatPayRawBody(a),
      ));
      wechatPay = app.get(WechatPayService);
      ledger = app.get(TransferLedger);
    });
    afterAll(async () => {
      await app?.close();
      await simulator?.stop();
    });

    const notifyUrl = () => `${appUrl}/wechatpay/transfer-notify`;
    const transfersOf = (outBillNo: string) =>
      simulator.transferBills().filter((t) => t.outBillNo === outBillNo);
    const finishedOnce = async (outBillNo: string) => {
      await simulator.waitForDelivery(
        (d) =>
          d.eventType === 'MCHTRANSFER.BILL.FINISHED' &&
          d.status === 200 &&
          ledger.finished.some((f) => f.out_bill_no === outBillNo),
      );
      return ledger.finished.filter((f) => f.out_bill_no === outBillNo);
    };

    it('create → WAIT_USER_CONFIRM → confirm params → the user confirms → MCHTRANSFER.BILL.FINISHED handled once → query SUCCESS → receipt', async () => {
      const outBillNo = orderNo('RW');
      const created = await wechatPay.transfers.create({
        ...reward(outBillNo),
        notify_url: notifyUrl(),
      });
      expect(created).toMatchObject({ out_bill_no: outBillNo, state: 'WAIT_USER_CONFIRM' });
      expect(created.package_info).toEqual(expect.any(String));

      // The name went encrypted for a key the simulator has, which decrypted it.
      const [held] = transfersOf(outBillNo);
      expect(held!.userName).toBe('张三');
      expect(held!.encryptedUserName).not.toContain('张三');
      expect(held!.subMchid).toBe(partner ? SUB_MCHID : undefined);

      const params = wechatPay.transfers.confirmParams(created);
      expect(params).toEqual({
        mchId: simulator.merchant.mchid,
        ...(partner ? { subMchId: SUB_MCHID } : {}),
        appId: simulator.merchant.options.appid,
        package: created.package_info,
      });

      simulator.confirmTransfer(outBillNo);
      const handled = await finishedOnce(outBillNo);
      expect(handled).toHaveLength(1);
      expect(handled[0]).toMatchObject({
        out_bill_no: outBillNo,
        transfer_bill_no: created.transfer_bill_no,
        state: 'SUCCESS',
        transfer_amount: 500,
      });
      // WeChat Pay delivers the same event again (and from two servers at once): handled once.
      const again = await simulator.deliverTransfer(outBillNo, { copies: 2 });
      expect(again.map((d) => d.status)).toEqual([200, 200]);
      expect(ledger.finished.filter((f) => f.out_bill_no === outBillNo)).toHaveLength(1);

      const queried = await wechatPay.transfers.query(outBillNo);
      expect(queried).toMatchObject({
        state: 'SUCCESS',
        transfer_amount: 500,
        out_bill_no: outBillNo,
      });
      expect(await wechatPay.transfers.queryByTransferBillNo(created.transfer_bill_no)).toEqual(
        queried,
      );

      const applied = await wechatPay.transfers.applyReceipt(outBillNo);
      expect(applied.state).toBe('GENERATING');
      const receipt = await wechatPay.transfers.queryReceipt(outBillNo);
      expect(receipt.state).toBe('FINISHED');
      const chunks: Buffer[] = [];
      for await (const chunk of await wechatPay.transfers.downloadReceipt(receipt))
        chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).toString('utf8')).toContain(created.transfer_bill_no);
    });

    it('a cancelled transfer: CANCELING, then CANCELLED notified once; cancelling again is harmless', async () => {
      const outBillNo = orderNo('RW');
      await wechatPay.transfers.create({ ...reward(outBillNo), notify_url: notifyUrl() });
      const cancelling = await wechatPay.transfers.cancel(outBillNo);
      expect(cancelling).toMatchObject({ out_bill_no: outBillNo, state: 'CANCELING' });
      const handled = await finishedOnce(outBillNo);
      expect(handled).toEqual([expect.objectContaining({ state: 'CANCELLED' })]);
      expect((await wechatPay.transfers.query(outBillNo)).state).toBe('CANCELLED');
      expect((await wechatPay.transfers.cancel(outBillNo)).state).toBe('CANCELLED');
      expect(() => simulator.confirmTransfer(outBillNo)).toThrow(/CANCELLED/);
    });

    it("refuses another merchant's transfer notification at this registration's URL (its mch_id)", async () => {
      // Another merchant with the same APIv3 key: the notification decrypts, only mch_id differs.
      const other = createTestMerchant({ apiV3Key: simulator.merchant.apiV3Key });
      simulator.addMerchant(other);
      const client = new WechatPayClient(
        resolveWechatPayConfig(simulator.moduleOptions({ merchant: other })),
      );
      const outBillNo = orderNo('RW');
      await client.transfers.create({ ...reward(outBillNo), notify_url: notifyUrl() });
      client.close();
      simulator.confirmTransfer(outBillNo);
      const delivery = await simulator.waitForDelivery(
        (d) => d.url === notifyUrl() && d.status === 400,
      );
      expect(delivery.responseBody).toContain(other.mchid);
      expect(ledger.finished.some((f) => f.out_bill_no === outBillNo)).toBe(false);
    });

    it('a transfer the user never confirms expires: CANCELLED (OVERDUE_CLOSE), notified', async () => {
      const outBillNo = orderNo('RW');
      await wechatPay.transfers.create({ ...reward(outBillNo), notify_url: notifyUrl() });
      simulator.expireTransfer(outBillNo);
      const handled = await finishedOnce(outBillNo);
      expect(handled).toEqual([
        expect.objectContaining({ state: 'CANCELLED', fail_reason: 'OVERDUE_CLOSE' }),
      ]);
    });

    it('a create whose answer comes after the timeout is re-sent with the same out_bill_no: one transfer', async () => {
      const outBillNo = orderNo('RW');
      // The primary creates the transfer but answers too slowly; the backup gets the same request.
      simulator.injectFault({ type: 'trickle', intervalMs: 5000 });
      const before = simulator.requests.length;
      const created = await wechatPay.transfers.create(reward(outBillNo));
      const sent = simulator.requests.slice(before);
      expect(sent.map((r) => r.listener)).toEqual(['primary', 'backup']);
      expect(created.state).toBe('WAIT_USER_CONFIRM');
      expect(transfersOf(outBillNo)).toHaveLength(1);
      expect(transfersOf(outBillNo)[0]!.transferBillNo).toBe(created.transfer_bill_no);
    });

    it('no answer from either domain: WechatPayTransferUnclearError says to retry with the SAME out_bill_no, which yields the one transfer', async () => {
      const outBillNo = orderNo('RW');
      simulator.injectFault({ type: 'trickle', intervalMs: 5000 }, { listener: 'any', count: 2 });
      const error = await wechatPay.transfers.create(reward(outBillNo)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WechatPayTransferUnclearError);
      expect(error).toMatchObject({ outBillNo, mayHaveTakenEffect: true, retrySafe: true });
      expect((error as Error).message).toMatch(/SAME out_bill_no/);
      expect((error as Error).message).not.toContain('张三');
      // The same call again (the name encrypts differently each time): the existing transfer.
      const retried = await wechatPay.transfers.create(reward(outBillNo));
      expect(transfersOf(outBillNo)).toHaveLength(1);
      expect(retried.transfer_bill_no).toBe(transfersOf(outBillNo)[0]!.transferBillNo);
    });

    it('the same out_bill_no with other fields is refused like WeChat Pay: 400 INVALID_REQUEST', async () => {
      const outBillNo = orderNo('RW');
      await wechatPay.transfers.create(reward(outBillNo));
      const error = await wechatPay.transfers
        .create(reward(outBillNo, 600))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WechatPayApiError);
      expect(error).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
      expect(transfersOf(outBillNo)).toHaveLength(1);
    });

    it('the simulator refuses a name encrypted for an unknown serial, or that does not decrypt', async () => {
      const path = partner
        ? '/v3/fund-app/mch-transfer/partner/transfer-bills'
        : '/v3/fund-app/mch-transfer/transfer-bills';
      const { ciphertext } = await wechatPay.encryptSensitive('张三');
      const body = {
        ...reward(orderNo('RW')),
        ...(partner ? { sub_mchid: SUB_MCHID } : {}),
        appid: simulator.merchant.options.appid,
        user_name: ciphertext,
      };
      await expect(
        wechatPay.request('POST', path, body, { wechatpaySerial: 'NOT_A_KEY' }),
      ).rejects.toMatchObject({ status: 400, code: 'PARAM_ERROR', message: /Wechatpay-Serial/ });
      await expect(
        wechatPay.request('POST', path, { ...body, user_name: 'bm90IGVuY3J5cHRlZA==' }),
      ).rejects.toMatchObject({ status: 400, code: 'PARAM_ERROR', message: /解密失败/ });
    });

    it('refuses before sending: no user_name from ¥2,000, a bad out_bill_no, no scene report', async () => {
      const before = simulator.requests.length;
      const error = await wechatPay.transfers
        .create({
          ...reward('bad-no!', 200_000, { user_name: undefined }),
          transfer_scene_report_infos: [],
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WechatPayValidationError);
      expect(
        [...new Set((error as WechatPayValidationError).problems.map((p) => p.field))].sort(),
      ).toEqual(['out_bill_no', 'transfer_scene_report_infos', 'user_name']);
      expect(() => wechatPay.transfers.confirmParams({})).toThrow(WechatPayValidationError);
      expect(simulator.requests.length).toBe(before);
    });
  },
);

describe('商家转账: a transfer accepted before the user can confirm it', () => {
  let simulator: WechatPaySimulator;
  let app: INestApplication;
  let wechatPay: WechatPayService;

  beforeAll(async () => {
    // Long enough that the test sees ACCEPTED after the create answer on a loaded machine too.
    simulator = await new WechatPaySimulator({ transfers: { acceptedForMs: 2000 } }).start();
    ({ app, wechatPay } = await bootWechatPay(simulator.moduleOptions()));
  });
  afterAll(async () => {
    await app?.close();
    await simulator?.stop();
  });

  it('ACCEPTED without package_info; re-sending the same out_bill_no later gets WAIT_USER_CONFIRM and package_info', async () => {
    const outBillNo = orderNo('RW');
    const accepted = await wechatPay.transfers.create(reward(outBillNo));
    expect(accepted.state).toBe('ACCEPTED');
    expect(accepted.package_info).toBeUndefined();
    expect(() => wechatPay.transfers.confirmParams(accepted)).toThrow(/WAIT_USER_CONFIRM/);
    expect(() => simulator.confirmTransfer(outBillNo)).toThrow(/ACCEPTED/);

    await expect
      .poll(async () => (await wechatPay.transfers.query(outBillNo)).state)
      .toBe('WAIT_USER_CONFIRM');
    const waiting = await wechatPay.transfers.create(reward(outBillNo));
    expect(waiting).toMatchObject({
      state: 'WAIT_USER_CONFIRM',
      transfer_bill_no: accepted.transfer_bill_no,
    });
    expect(wechatPay.transfers.confirmParams(waiting).package).toBe(waiting.package_info);
    expect(simulator.transferBills()).toHaveLength(1);
  });
});
