import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { useWechatPayRawBody } from 'nestjs-wechatpay';
import {
  createTestMerchant,
  type TestMerchant,
  WechatPaySimulator,
} from 'nestjs-wechatpay/testing';
import { afterAll } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { type OrderDatabase, openOrderDatabase } from '../src/orders/database/order-database.js';
import { type AppClient, appClient } from '../src/simulator/app-client.js';
import { replaceWechatPayEnv, simulatorEnv } from '../src/simulator/simulator-env.js';

export type Adapter = 'express' | 'fastify';

// Starting the embedded PostgreSQL takes seconds: the apps of one test file share one (their
// order numbers never collide), opened as the file loads (outside the hooks' time limit) and
// closed at its end. A failure to open surfaces in startSampleApp.
const sharedDatabase = openOrderDatabase();
sharedDatabase.catch(() => {});
afterAll(async () => {
  await (await sharedDatabase).close();
});

/** The test file's shared embedded database (closed at the file's end). */
export const sharedOrderDatabase = (): Promise<OrderDatabase> => sharedDatabase;

export interface SampleApp extends AppClient {
  app: INestApplication;
  simulator: WechatPaySimulator;
  giftcards: TestMerchant;
  url: string;
  close(): Promise<void>;
}

/**
 * The sample app on express or fastify against a fresh simulator, configured exactly as in
 * production: WECHATPAY_* (and WECHATPAY_GIFTCARDS_*) variables read by @nestjs/config.
 */
export async function startSampleApp(
  adapter: Adapter,
  options: {
    /** Register the second merchant. @default true */
    giftcards?: boolean;
    /** Refunds settle by themselves after 50 ms; false: only with `completeRefund()`. @default true */
    settleRefunds?: boolean;
    /** Give the app the simulator (the "scan and pay" route, no staff token needed). @default true */
    bridge?: boolean;
    /** Start from an empty orders table (the file's database is shared by its apps). @default false */
    emptyDatabase?: boolean;
    /** More variables on top of the simulator's (e.g. `simulatorRecoveryEnv()`). @default none */
    env?: Record<string, string>;
    /**
     * Run against this started simulator (a restarted app meets the same WeChat Pay), which
     * `close()` leaves running. @default a fresh one, stopped by `close()`
     */
    simulator?: { simulator: WechatPaySimulator; giftcards: TestMerchant };
    /** The orders' database, left open by `close()`. @default the file's shared PGlite */
    database?: OrderDatabase;
  } = {},
): Promise<SampleApp> {
  const database = options.database ?? (await sharedDatabase);
  if (options.emptyDatabase) {
    await database.query('TRUNCATE order_refunds, orders, recovery_tasks');
  }
  const { simulator, giftcards } = options.simulator ?? (await startSimulator(options));
  process.env.NODE_ENV = 'test';
  replaceWechatPayEnv({
    ...simulatorEnv(simulator),
    ...(options.giftcards === false
      ? {}
      : simulatorEnv(simulator, giftcards, 'WECHATPAY_GIFTCARDS_')),
    ...options.env,
  });
  const app = await NestFactory.create(
    AppModule.register({
      simulator: options.bridge === false ? undefined : simulator,
      // The app closes its database when it stops: this one outlives it.
      database: { ...database, close: async () => {} },
    }),
    adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    { logger: false, abortOnError: false },
  );
  useWechatPayRawBody(app);
  await app.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as { port: number }).port}`;
  process.env.PUBLIC_URL = url;

  return {
    app,
    simulator,
    giftcards,
    url,
    ...appClient(url),
    close: async () => {
      await app.close();
      if (!options.simulator) await simulator.stop();
    },
  };
}

/** A started simulator with the second merchant, as `startSampleApp` runs the app against. */
export async function startSimulator(
  options: { settleRefunds?: boolean } = {},
): Promise<{ simulator: WechatPaySimulator; giftcards: TestMerchant }> {
  const giftcards = createTestMerchant();
  const simulator = new WechatPaySimulator({
    https: true,
    notifications: { timeScale: 0.001 },
    refunds: { settleAfterMs: options.settleRefunds === false ? undefined : 50 },
  });
  simulator.addMerchant(giftcards);
  await simulator.start();
  return { simulator, giftcards };
}
