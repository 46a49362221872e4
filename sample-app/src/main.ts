import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { useWechatPayRawBody } from 'nestjs-wechatpay';
import { type AppOptions, AppModule } from './app.module.js';

export interface BootstrapOptions extends AppOptions {
  /** @default PORT from the environment or sample-app/.env, else 3000 */
  port?: number;
}

/** Starts the sample app against whatever WECHATPAY_* points at (real WeChat Pay with a .env). */
export async function bootstrap(options: BootstrapOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(options), {
    logger: ['error', 'warn'],
  });
  const config = app.get(ConfigService);
  // Behind a reverse proxy, the payer's IP (which H5 and API v2 send) is in X-Forwarded-For.
  const trustProxy = config.get<string>('TRUST_PROXY');
  if (trustProxy) app.set('trust proxy', parseTrustProxy(trustProxy));
  // Notifications are verified against the exact bytes WeChat Pay signed.
  useWechatPayRawBody(app);
  const port = options.port ?? Number(config.get<string>('PORT') ?? 3000);
  await app.listen(port, config.get<string>('HOST') ?? '127.0.0.1');
  return app;
}

/** Express's `trust proxy`: true/false, a hop count, or addresses and names such as `loopback`. */
function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

if (process.argv[1]?.endsWith('main.js')) void bootstrap();
