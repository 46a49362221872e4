import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { useWechatPayRawBody } from 'nestjs-wechatpay';
import { type AppOptions, AppModule } from './app.module.js';

/** Starts the sample app against whatever WECHATPAY_* points at (real WeChat Pay with a .env). */
export async function bootstrap(
  port = Number(process.env.PORT ?? 3000),
  options: AppOptions = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.register(options), { logger: ['error', 'warn'] });
  // Notifications are verified against the exact bytes WeChat Pay signed.
  useWechatPayRawBody(app);
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  return app;
}

if (process.argv[1]?.endsWith('main.js')) void bootstrap();
