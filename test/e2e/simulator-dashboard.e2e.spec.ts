import { mkdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WechatPayApiError } from '../../lib/index.js';
import { WechatPaySimulator } from '../../lib/testing/index.js';
import { launchChromium } from '../support/chromium.js';
import { ADAPTERS } from '../support/nest-app.js';
import { type NotifyApp, startNotifyApp } from '../support/notify-app.js';
import { orderNo } from '../support/wechatpay-app.js';

const ARTIFACTS = new URL('../artifacts/', import.meta.url);

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = new URL(name, ARTIFACTS);
  await page.screenshot({ path: fileURLToPath(file), fullPage: true });
  expect((await stat(file)).size).toBeGreaterThan(10_000);
}

describe.each(ADAPTERS)('simulator dashboard in headless Chromium, app on %s', (adapter) => {
  let simulator: WechatPaySimulator;
  let shop: NotifyApp;

  beforeAll(async () => {
    // Redelivery 1000 times faster than WeChat Pay's schedule, so a dropped one is retried at once.
    simulator = await new WechatPaySimulator({ notifications: { timeScale: 0.001 } }).start();
    shop = await startNotifyApp(adapter, simulator.moduleOptions());
  });
  afterAll(async () => {
    await shop.app.close();
    await simulator.stop();
  });

  const placeOrder = async (description: string) => {
    const outTradeNo = orderNo('DASH');
    await shop.wechatPay.payments.prepayNative({
      description,
      out_trade_no: outTradeNo,
      amount: { total: 2999 },
      notify_url: shop.notifyUrl,
    });
    return outTradeNo;
  };

  it('pays as the user, shows the delivery answered 200, injects faults and shows them take effect', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    // A Content-Security-Policy violation is reported on the console.
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });

    // An app placed an order; its description is markup, which the page must show as text.
    const description = '<img src=x onerror=alert(1)> 月饼礼盒';
    const first = await placeOrder(description);
    await page.goto(simulator.dashboardUrl);
    const firstRow = page.locator(`#orders tr[data-id="${first}"]`);
    await firstRow.and(page.locator('[data-state="NOTPAY"]')).waitFor();
    expect(await firstRow.locator('td').nth(3).textContent()).toBe(description);
    expect(await page.locator('#orders img').count()).toBe(0);
    await expect
      .poll(() => page.locator('#merchants').textContent())
      .toContain(simulator.merchant.mchid);

    // Pay as the user: the order is paid and the app acknowledged the notification with 200.
    await firstRow.getByRole('button', { name: 'Pay as the user' }).click();
    await firstRow.and(page.locator('[data-state="SUCCESS"]')).waitFor();
    const delivered = page.locator(
      '#deliveries tr[data-event="TRANSACTION.SUCCESS"][data-status="200"]',
    );
    await delivered.first().waitFor();
    expect(shop.ledger.paid.map((t) => t.out_trade_no)).toContain(first);
    await delivered.first().locator('summary').click();
    await expect
      .poll(() => delivered.first().locator('pre.sent').textContent())
      .toContain('"event_type":"TRANSACTION.SUCCESS"');
    await screenshot(page, `simulator-dashboard-paid-${adapter}.png`);

    // Fail next request: armed on the page, then the app's next call gets HTTP 500.
    await page.click('#fail-next-request');
    await page
      .locator('#pending-faults li', { hasText: 'HTTP 500 SYSTEM_ERROR × 1 on primary' })
      .waitFor();
    const failed = await shop.wechatPay.payments.queryByOutTradeNo(first).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(WechatPayApiError);
    expect(failed).toMatchObject({ status: 500, code: 'SYSTEM_ERROR' });
    await page
      .locator('#requests tbody tr')
      .first()
      .and(page.locator('[data-status="500"]'))
      .waitFor();
    await expect.poll(() => page.locator('#pending-faults li').count()).toBe(0);

    // Drop next notification: the first attempt is lost, the redelivery reaches the app.
    await page.click('#drop-next-notification');
    await page.locator('#pending-faults li', { hasText: 'drop 1 notification' }).waitFor();
    const second = await placeOrder('second order');
    const secondRow = page.locator(`#orders tr[data-id="${second}"]`);
    await secondRow.getByRole('button', { name: 'Pay as the user' }).click();
    const dropped = page.locator('#deliveries tr[data-status="none"]', { hasText: 'dropped' });
    await dropped.waitFor();
    await expect.poll(() => delivered.count()).toBe(2);
    expect(shop.ledger.paid.filter((t) => t.out_trade_no === second)).toHaveLength(1);
    expect(await dropped.locator('td').nth(2).textContent()).toBe('#1');

    // Rotate the platform certificate: the page shows the new serial.
    const before = simulator.platformSerial;
    await page.click('#rotate-certificate');
    await expect
      // A new certificate means a new RSA key: give a busy machine time.
      .poll(() => page.locator('#simulator').getAttribute('data-serial'), { timeout: 20_000 })
      .not.toBe(before);
    expect(await page.locator('#simulator').getAttribute('data-serial')).toBe(
      simulator.platformSerial,
    );

    expect(await page.locator('#error').textContent()).toBe('');
    await screenshot(page, `simulator-dashboard-faults-${adapter}.png`);
    expect(problems).toEqual([]);
    // The page's own files are not WeChat Pay traffic.
    expect(simulator.requests.filter((r) => !r.path.startsWith('/v3/'))).toEqual([]);
    await page.close();
  });

  it('shows why an action was refused', async () => {
    const page = await browser.newPage();
    const outTradeNo = await placeOrder('raced');
    await page.goto(simulator.dashboardUrl);
    const row = page.locator(`#orders tr[data-id="${outTradeNo}"]`);
    const button = row.getByRole('button', { name: 'Pay as the user' });
    await button.waitFor();
    // Paid by someone else after the page last drew it: the page keeps showing the old state.
    const stale = await (await fetch(`${simulator.dashboardUrl}api/state`)).text();
    await page.route('**/api/state', (route) =>
      route.fulfill({ body: stale, contentType: 'application/json' }),
    );
    simulator.pay(outTradeNo);
    await button.click();
    await expect
      .poll(() => page.locator('#error').textContent())
      .toBe(`Pay as the user: simulator: order ${outTradeNo} is SUCCESS, not NOTPAY`);
    await page.close();
  });
});
