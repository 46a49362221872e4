import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Injectable, type INestApplication, Module, Post } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ComplaintNotification,
  type NotificationEnvelope,
  useWechatPayRawBody,
  WechatNotification,
  WechatNotify,
  WechatPayModule,
  WechatPayload,
  resolveWechatPayConfig,
  WechatPayClient,
  WechatPayService,
  WechatPaySignatureError,
  WechatPayValidationError,
} from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { ADAPTERS, CapturingLogger, startApp } from '../support/nest-app.js';
import { bootWechatPay, NO_RECEIVER_NOTIFY_URL, orderNo } from '../support/wechatpay-app.js';

/** Bytes that start like the format their name says, as the pre-send check requires. */
const jpg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(600)]);
const png = () =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(400)]);

/** What the complaint handler saw and did. */
@Injectable()
class ComplaintDesk {
  readonly events: { envelope: NotificationEnvelope; payload: ComplaintNotification }[] = [];
  readonly phones: string[] = [];
  readonly downloaded: Buffer[] = [];
  readonly uploaded: { mediaId: string; content: Buffer }[] = [];
}

@Controller('wechatpay')
class ComplaintController {
  constructor(
    private readonly wechatPay: WechatPayService,
    private readonly desk: ComplaintDesk,
  ) {}

  /** The whole story a merchant's handler runs on a new complaint. */
  @Post('complaints')
  @WechatNotify({ events: ['COMPLAINT.CREATE', 'COMPLAINT.STATE_CHANGE'] })
  async complaint(
    @WechatPayload() payload: ComplaintNotification,
    @WechatNotification() envelope: NotificationEnvelope,
  ): Promise<void> {
    this.desk.events.push({ envelope, payload });
    if (envelope.event_type !== 'COMPLAINT.CREATE') return;
    const { complaints } = this.wechatPay;
    const complaint = await complaints.detail(payload.complaint_id, { decryptPayerPhone: true });
    this.desk.phones.push(complaint.payer_phone!);
    for (const url of complaint.complaint_media_list?.[0]?.media_url ?? []) {
      this.desk.downloaded.push((await complaints.downloadImage(url)).content);
    }
    const content = png();
    const { media_id } = await complaints.uploadImage({ filename: 'refund-receipt.png', content });
    this.desk.uploaded.push({ mediaId: media_id, content });
    await complaints.respond(payload.complaint_id, {
      response_content: '已为您全额退款，请查收',
      response_images: [media_id],
    });
    await complaints.complete(payload.complaint_id);
  }
}

describe.each(ADAPTERS)('complaints (消费者投诉 2.0) with a Nest handler on %s', (adapter) => {
  let simulator: WechatPaySimulator;
  let app: INestApplication;
  let url: string;
  let wechatPay: WechatPayService;
  let desk: ComplaintDesk;
  const logger = new CapturingLogger();

  beforeAll(async () => {
    simulator = await new WechatPaySimulator().start();
    @Module({
      imports: [
        WechatPayModule.forRoot(simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL })),
      ],
      controllers: [ComplaintController],
      providers: [ComplaintDesk],
    })
    class AppModule {}
    ({ app, url } = await startApp(AppModule, adapter, logger, useWechatPayRawBody));
    wechatPay = app.get(WechatPayService);
    desk = app.get(ComplaintDesk);
    await wechatPay.complaints.createNotificationUrl({ url: `${url}/wechatpay/complaints` });
  });
  afterAll(async () => {
    await app?.close();
    await simulator?.stop();
  });

  it('files a complaint with an image → notification → download, upload, respond, complete → resolved', async () => {
    const outTradeNo = orderNo('CMPL');
    await wechatPay.payments.prepayNative({
      description: 'complained about',
      out_trade_no: outTradeNo,
      amount: { total: 2500 },
    });
    simulator.pay(outTradeNo);
    const photo = jpg();
    const filed = simulator.fileComplaint({
      outTradeNo,
      payerPhone: '13912345678',
      images: [{ filename: 'proof.jpg', content: photo }],
    });
    await expect.poll(() => simulator.complaint(filed.complaintId).state).toBe('PROCESSED');
    await expect.poll(() => desk.events.length).toBe(3);

    // The handler read the payer's number in clear (decrypted with the merchant key on request)
    // and fetched exactly the image the payer attached.
    expect(desk.phones).toEqual(['13912345678']);
    expect(desk.downloaded).toEqual([photo]);
    // By default the number stays ciphertext.
    const plain = await wechatPay.complaints.detail(filed.complaintId);
    expect(plain.payer_phone).not.toContain('13912345678');
    expect(plain.complaint_order_info).toEqual([
      expect.objectContaining({ out_trade_no: outTradeNo, amount: 2500 }),
    ]);

    // The simulator recorded the response with the uploaded image, then the completion.
    const resolved = simulator.complaint(filed.complaintId);
    expect(resolved.history.map((h) => h.type)).toEqual([
      'USER_CREATE_COMPLAINT',
      'MERCHANT_RESPONSE',
      'MERCHANT_CONFIRM_COMPLETE',
    ]);
    const [uploaded] = desk.uploaded;
    expect(resolved.history[1]).toMatchObject({ images: [uploaded!.mediaId] });
    // The response image, fetched back through the negotiation history, is the file sent.
    const history = await wechatPay.complaints.negotiationHistory(filed.complaintId);
    const responseStep = history.data!.find((h) => h.operate_type === 'MERCHANT_RESPONSE')!;
    const [responseImageUrl] = responseStep.complaint_media_list!.media_url;
    expect((await wechatPay.complaints.downloadImage(responseImageUrl!)).content).toEqual(
      uploaded!.content,
    );

    expect(desk.events.map((e) => [e.envelope.event_type, e.payload.action_type])).toEqual([
      ['COMPLAINT.CREATE', 'CREATE_COMPLAINT'],
      ['COMPLAINT.STATE_CHANGE', 'MERCHANT_RESPONSE'],
      ['COMPLAINT.STATE_CHANGE', 'MERCHANT_CONFIRM_COMPLETE'],
    ]);
    expect(desk.events.every((e) => e.payload.complaint_id === filed.complaintId)).toBe(true);
    // The payer's number reached the handler, and nothing else.
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.text).not.toContain('13912345678');
  });

  it('handles a redelivered COMPLAINT.CREATE once, however many copies arrive', async () => {
    const filed = simulator.fileComplaint({ images: [{ filename: 'a.jpg', content: jpg() }] });
    const about = () => desk.events.filter((e) => e.payload.complaint_id === filed.complaintId);
    // CREATE, then the STATE_CHANGEs of the response and of the completion.
    await expect.poll(() => about().length).toBe(3);
    const handled = desk.events.length;
    const copies = await simulator.deliverComplaintNotification(filed.complaintId, { copies: 3 });
    expect(copies.map((d) => d.status! < 300)).toEqual([true, true, true]);
    expect(desk.events.length).toBe(handled);
    expect(simulator.complaint(filed.complaintId).history).toHaveLength(3);
  });

  it('lists complaints of a date range and pages through them', async () => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const page = await wechatPay.complaints.list({
      begin_date: today,
      end_date: today,
      limit: 1,
    });
    expect(page).toMatchObject({ limit: 1, offset: 0 });
    expect(page.total_count).toBeGreaterThanOrEqual(2);
    expect(page.data).toHaveLength(1);
    expect(page.data![0]!.complainted_mchid).toBe(simulator.merchant.mchid);
  });
});

describe('complaints API against the simulator', () => {
  let simulator: WechatPaySimulator;
  let app: INestApplication;
  let wechatPay: WechatPayService;

  beforeAll(async () => {
    simulator = await new WechatPaySimulator({ backup: false }).start();
    ({ app, wechatPay } = await bootWechatPay(
      simulator.moduleOptions({ notifyUrl: NO_RECEIVER_NOTIFY_URL }),
    ));
  });
  afterAll(async () => {
    await app?.close();
    await simulator?.stop();
  });
  afterEach(async () => {
    await wechatPay.complaints.deleteNotificationUrl();
  });

  it('creates, queries, updates and deletes the complaint notification URL', async () => {
    const mchid = simulator.merchant.mchid;
    const created = await wechatPay.complaints.createNotificationUrl({
      url: 'https://shop.example.com/wechatpay/complaints',
    });
    expect(created).toEqual({ mchid, url: 'https://shop.example.com/wechatpay/complaints' });
    await expect(
      wechatPay.complaints.createNotificationUrl({ url: 'https://shop.example.com/again' }),
    ).rejects.toMatchObject({ status: 400 });
    await wechatPay.complaints.updateNotificationUrl({ url: 'https://shop.example.com/v2' });
    expect(await wechatPay.complaints.queryNotificationUrl()).toEqual({
      mchid,
      url: 'https://shop.example.com/v2',
    });
    await wechatPay.complaints.deleteNotificationUrl();
    await expect(wechatPay.complaints.queryNotificationUrl()).rejects.toMatchObject({
      status: 404,
      code: 'RESOURCE_NOT_EXISTS',
    });
  });

  it('approves and rejects the refund a payer asked for', async () => {
    const { complaintId } = simulator.fileComplaint({ applyRefundAmount: 500 });
    await wechatPay.complaints.updateRefundProgress(complaintId, {
      action: 'APPROVE',
      launch_refund_day: 3,
    });
    expect(simulator.complaint(complaintId).refundDecision).toBe('APPROVE');
    const other = simulator.fileComplaint({ applyRefundAmount: 500 }).complaintId;
    await wechatPay.complaints.updateRefundProgress(other, {
      action: 'REJECT',
      reject_reason: '商品已发货，物流单号见图',
    });
    expect(simulator.complaint(other).history.at(-1)).toMatchObject({
      type: 'MERCHANT_REFUSE_RERUND',
      details: '商品已发货，物流单号见图',
    });
  });

  it('refuses bad input before sending, saying what to fix', async () => {
    const sent = simulator.requests.length;
    const { complaints } = wechatPay;
    const refused = [
      complaints.list({ begin_date: '2026-01-01', end_date: '2026-03-01' }),
      complaints.list({ begin_date: '2026/01/01', end_date: '2026-01-02' }),
      complaints.updateRefundProgress('200000000001', { action: 'REJECT' }),
      complaints.updateRefundProgress('200000000001', {
        action: 'REJECT',
        reject_reason: 'x',
        launch_refund_day: 1,
      }),
      complaints.respond('200000000001', {
        response_content: '',
        response_images: ['a', 'b', 'c', 'd', 'e'],
      }),
      complaints.respond('200000000001', {
        response_content: 'ok',
        jump_url: 'https://shop.example.com',
      }),
      complaints.detail('../certificates'),
      complaints.createNotificationUrl({ url: 'http://shop.example.com/notify' }),
      complaints.downloadImage('https://api.mch.weixin.qq.com/v3/certificates'),
      complaints.downloadImage(
        'https://api.mch.weixin.qq.com/v3/merchant-service/images/..%2F..%2Fcertificates',
      ),
      // 200 characters is the merchant page's limit (the service provider's is 500).
      complaints.respond('200000000001', { response_content: '好'.repeat(201) }),
    ];
    for (const call of refused) await expect(call).rejects.toBeInstanceOf(WechatPayValidationError);
    expect(simulator.requests.length).toBe(sent);
  });

  it('answers the payer of a sub-merchant in partner mode, naming the sub-merchant by default', async () => {
    const subMchid = '1900000109';
    const partner = await bootWechatPay(
      simulator.moduleOptions({ mode: 'partner', subMchid, notifyUrl: NO_RECEIVER_NOTIFY_URL }),
    );
    try {
      const outTradeNo = orderNo('SUBCMPL');
      await partner.wechatPay.payments.prepayNative({
        description: 'sub-merchant order',
        out_trade_no: outTradeNo,
        amount: { total: 800 },
      });
      simulator.pay(outTradeNo);
      const { complaintId } = simulator.fileComplaint({ outTradeNo });
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const page = await partner.wechatPay.complaints.list({
        begin_date: today,
        end_date: today,
        complainted_mchid: subMchid,
      });
      expect(page.data?.map((c) => c.complaint_id)).toEqual([complaintId]);
      const detail = await partner.wechatPay.complaints.detail(complaintId, {
        decryptPayerPhone: true,
      });
      expect(detail).toMatchObject({ complainted_mchid: subMchid, payer_phone: '13800138000' });
      await partner.wechatPay.complaints.respond(complaintId, { response_content: '已处理' });
      await partner.wechatPay.complaints.complete(complaintId);
      expect(simulator.complaint(complaintId).state).toBe('PROCESSED');
      // Another sub-merchant is not the one complained about.
      const other = simulator.fileComplaint({ outTradeNo }).complaintId;
      await expect(
        partner.wechatPay.complaints.complete(other, { complainted_mchid: '1900000222' }),
      ).rejects.toMatchObject({ status: 400, code: 'PARAM_ERROR' });
    } finally {
      await partner.app.close();
    }
  });
});

describe('complaint image downloads that carry a signature', () => {
  let simulator: WechatPaySimulator;
  let server: Server;
  let client: WechatPayClient;
  /** What the stand-in answers next: the image and its headers. */
  let next: { body: Buffer; headers: Record<string, string> };
  const paths: string[] = [];

  beforeAll(async () => {
    simulator = await new WechatPaySimulator({ verification: 'publicKey', backup: false }).start();
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'image/png', ...next.headers }).end(next.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new WechatPayClient(
      resolveWechatPayConfig(
        simulator.moduleOptions({
          domain: `http://127.0.0.1:${port}`,
          notifyUrl: NO_RECEIVER_NOTIFY_URL,
        }),
      ),
    );
  });
  afterAll(async () => {
    client?.close();
    server?.close();
    await simulator?.stop();
  });

  it('keeps the media id as WeChat Pay encoded it, and verifies a signature over the bytes', async () => {
    const body = png();
    next = { body, headers: simulator.signMessage(body) };
    const url =
      'https://api.mch.weixin.qq.com/v3/merchant-service/images/ChsyMDAw/9CgBigBMAE4AQ%3D%3D';
    expect((await client.complaints.downloadImage(url)).content).toEqual(body);
    expect(paths.at(-1)).toBe('/v3/merchant-service/images/ChsyMDAw/9CgBigBMAE4AQ%3D%3D');

    next = { body: png(), headers: simulator.signMessage(body) };
    await expect(client.complaints.downloadImage(url)).rejects.toBeInstanceOf(
      WechatPaySignatureError,
    );
  });

  it('abandons an image larger than maxBytes', async () => {
    next = { body: Buffer.alloc(64 * 1024), headers: {} };
    const url = 'https://api.mch.weixin.qq.com/v3/merchant-service/images/big';
    await expect(client.complaints.downloadImage(url, { maxBytes: 1024 })).rejects.toThrow(
      /exceeds 1024 bytes/,
    );
  });
});
