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
  const host = config.get<string>('HOST') ?? '127.0.0.1';
  try {
    await app.listen(port, host);
  } catch (error) {
    await app.close();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new PortInUseError(host, port);
    throw error;
  }
  return app;
}

/** The address the app should listen on is taken; the message names it and the fix. */
export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(
      `Port ${port} on ${host} is already in use (another process, perhaps an earlier run, listens there). Choose another port with PORT, or another address with HOST.`,
    );
  }
}

/**
 * Ends a command that failed with exit code 1: a busy port with its message and an example of
 * another port, without a stack (nothing is wrong with the code); anything else in full.
 * @param command how the user started it, for the example
 */
export function exitWithError(error: unknown, command: string): never {
  if (error instanceof PortInUseError) {
    const example = error.port < 65535 ? error.port + 1 : 3000;
    console.error(`${error.message}\n  e.g. PORT=${example} ${command}`);
  } else {
    console.error(error);
  }
  process.exit(1);
}

/** Express's `trust proxy`: true/false, a hop count, or addresses and names such as `loopback`. */
function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

if (process.argv[1]?.endsWith('main.js')) {
  bootstrap().catch((error: unknown) => exitWithError(error, 'node sample-app/dist/main.js'));
}
