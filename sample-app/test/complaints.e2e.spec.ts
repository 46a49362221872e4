import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SampleApp, startSampleApp } from './sample-app.js';

const jpg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(500)]);
const png = () =>
  Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(300)]);

interface Row {
  complaintId: string;
  state: string;
  order?: string;
  images: number;
  notified?: { lastAction: string };
}

describe.each(['express', 'fastify'] as const)('staff complaints view on %s', (adapter) => {
  let sample: SampleApp;
  beforeAll(async () => {
    sample = await startSampleApp(adapter);
    await sample.call('POST', '/staff/complaints/notification-url');
  });
  afterAll(() => sample.close());

  it('shows a new complaint, its image, and lets staff answer with an image and close it', async () => {
    const order = await sample.call('POST', '/orders', { productId: 'tea', api: 'v3' });
    await sample.call('POST', `/orders/${order.id}/pay/native`);
    sample.simulator.pay(order.id);
    await sample.until(order.id, 'PAID');
    const photo = jpg();
    const { complaintId } = sample.simulator.fileComplaint({
      outTradeNo: order.id,
      payerPhone: '13912345678',
      images: [{ filename: 'proof.jpg', content: photo }],
    });

    await expect
      .poll(async () => {
        const rows = await sample.call<Row[]>('GET', '/staff/complaints');
        return rows.find((r) => r.complaintId === complaintId)?.notified?.lastAction;
      })
      .toBe('CREATE_COMPLAINT');
    const detail = await sample.call<{ payerPhone: string; order: string; images: number }>(
      'GET',
      `/staff/complaints/${complaintId}`,
    );
    expect(detail).toMatchObject({ payerPhone: '139****5678', order: order.id, images: 1 });

    const image = await fetch(`${sample.url}/staff/complaints/${complaintId}/images/0`);
    expect(image.headers.get('content-type')).toMatch(/^image\/jpeg/);
    expect(Buffer.from(await image.arrayBuffer())).toEqual(photo);

    await sample.call('POST', `/staff/complaints/${complaintId}/response`, {
      content: '已为您退款',
      imageBase64: png().toString('base64'),
      imageName: 'receipt.png',
    });
    await sample.call('POST', `/staff/complaints/${complaintId}/complete`);
    expect(sample.simulator.complaint(complaintId).state).toBe('PROCESSED');
    await expect
      .poll(async () => {
        const rows = await sample.call<Row[]>('GET', '/staff/complaints');
        return rows.find((r) => r.complaintId === complaintId)?.notified?.lastAction;
      })
      .toBe('MERCHANT_CONFIRM_COMPLETE');
    const page = await sample.request<string>('GET', '/staff/complaints/page');
    expect(page.body).toContain(complaintId);
    expect(page.body).not.toContain('13912345678');
  });

  it('refuses an answer image of a type WeChat Pay does not take, before sending it', async () => {
    const { complaintId } = sample.simulator.fileComplaint();
    const sent = sample.simulator.requests.length;
    const refused = await sample.request('POST', `/staff/complaints/${complaintId}/response`, {
      content: '见附件',
      imageBase64: Buffer.from('GIF89a').toString('base64'),
      imageName: 'anim.gif',
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(sample.simulator.requests.length).toBe(sent);
  });
});

describe('staff complaints view without a staff token', () => {
  let sample: SampleApp;
  beforeAll(async () => {
    sample = await startSampleApp('express', { bridge: false, giftcards: false });
  });
  afterAll(() => sample.close());

  it('is staff only', async () => {
    expect((await sample.request('GET', '/staff/complaints')).status).toBe(403);
  });
});
