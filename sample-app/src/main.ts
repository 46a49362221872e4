import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { useWechatPayRawBody } from 'nestjs-wechatpay';
import { AppModule } from './app.module.js';

/** Starts the sample app against whatever WECHATPAY_* points at (real WeChat Pay with a .env). */
export async function bootstrap(port = Number(process.env.PORT ?? 3000)) {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  useWechatPayRawBody(app);
  await app.listen(port, '127.0.0.1');
  return app;
}

if (process.argv[1]?.endsWith('main.js')) void bootstrap();
