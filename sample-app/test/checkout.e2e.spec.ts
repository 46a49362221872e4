import { mkdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Adapter, type SampleApp, startSampleApp } from './sample-app.js';

// Debian's chromium (.ci/run installs it); playwright-core never downloads a browser.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = new URL('../../test/artifacts/', import.meta.url);

let browser: Browser;
beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Nothing may leave 127.0.0.1: no background services, no update checks.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(() => browser?.close());

// One API version per adapter keeps the run short while covering both of each.
describe.each([
  ['express', 'v3'],
  ['fastify', 'v2'],
] as const satisfies readonly (readonly [Adapter, 'v3' | 'v2'])[])(
  'checkout page on %s, API %s, in headless Chromium',
  (adapter, api) => {
    let sample: SampleApp;
    beforeAll(async () => {
      sample = await startSampleApp(adapter);
    });
    afterAll(() => sample.close());

    it('pays by the simulator’s button, shows PAID, refunds, shows REFUNDED', async () => {
      const page = await browser.newPage({ viewport: { width: 800, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${sample.url}/`);

      await expect.poll(() => page.locator('input[name=product]').count()).toBe(4);
      await page.check('input[name=product][value=mooncake]');
      await page.check(`input[name=api][value=${api}]`);
      await page.click('#pay');

      const status = page.getByTestId('status');
      await status.filter({ hasText: 'CREATED' }).waitFor();
      const qr = page.locator('#qr img');
      await qr.waitFor();
      // The QR code image really loaded (an SVG from the server, not a broken image).
      await expect
        .poll(() => qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
        .toBeGreaterThan(0);
      await expect.poll(() => page.locator('#code-url').textContent()).toMatch(/^weixin:\/\//);

      await page.click('#scan-and-pay');
      await status.filter({ hasText: 'PAID' }).waitFor();
      const orderId = (await page.locator('#order-id').textContent())!;
      expect(sample.simulator.state.findAnyOrder(orderId)?.state).toBe('SUCCESS');
      expect((await sample.call('GET', `/orders/${orderId}`)).total).toBe(12800);

      await page.click('#refund');
      await status.filter({ hasText: 'REFUNDED' }).waitFor();
      expect(await page.locator('#history').textContent()).toBe(
        'CREATED → PAID → REFUNDING → REFUNDED',
      );
      // Logged once the simulator has read the answer, which may come after the page changed.
      await sample.simulator.waitForDelivery(
        (d) => d.eventType === 'REFUND.SUCCESS' && d.status === 200,
      );
      expect(await page.locator('#error').textContent()).toBe('');
      expect(errors).toEqual([]);

      await mkdir(ARTIFACTS, { recursive: true });
      const screenshot = new URL(`checkout-${adapter}-${api}.png`, ARTIFACTS);
      await page.screenshot({ path: fileURLToPath(screenshot), fullPage: true });
      expect((await stat(screenshot)).size).toBeGreaterThan(5_000);
      await page.close();
    });
  },
);
