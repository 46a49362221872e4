import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AppModule } from '../app.module.js';
import { chinaDay } from '../china-day.js';
import { ReconciliationService } from './reconciliation.service.js';

/**
 * `npm run reconcile -- --date 2026-06-08 [--api v2] [--json]`: reconciles one day against the
 * WeChat Pay configured by WECHATPAY_* (sample-app/.env), prints the summary (or the JSON
 * report), and exits 1 when there are differences, so a cron job or CI can alert on it.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      date: { type: 'string' },
      api: { type: 'string', default: 'v3' },
      json: { type: 'boolean', default: false },
    },
  });
  const date = values.date ?? chinaDay(1);
  if (values.api !== 'v3' && values.api !== 'v2') throw new Error('--api is v3 or v2');
  const app = await NestFactory.createApplicationContext(AppModule.register(), {
    logger: ['error', 'warn'],
  });
  try {
    const { report, text } = await app.get(ReconciliationService).reconcile(date, values.api);
    console.log(values.json ? JSON.stringify(report, null, 2) : text);
    return Object.values(report.counts).some((count) => count > 0) ? 1 : 0;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
