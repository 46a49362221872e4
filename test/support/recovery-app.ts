import {
  Controller,
  Headers,
  Injectable,
  type INestApplication,
  Module,
  Post,
} from '@nestjs/common';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { NestFactory } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  type NotificationEnvelope,
  type RecoveryOutcome,
  BullmqRecoveryScheduler,
  type TransactionNotification,
  useWechatPayRawBody,
  WechatNotification,
  WechatNotify,
  type WechatPayOptions,
  WechatPayModule,
  WechatPayload,
  WechatPayService,
  WechatRecoveryOutcome,
} from '../../lib/index.js';
import type { AdapterName } from './nest-app.js';

/** What the payment handler and the outcome hook saw. */
@Injectable()
export class RecoveryLedger {
  readonly paid: {
    transaction: TransactionNotification;
    envelope: NotificationEnvelope;
    userAgent?: string;
  }[] = [];
  readonly outcomes: RecoveryOutcome[] = [];
  /** Milliseconds the payment handler takes. */
  delayMs = 0;
}

@Controller('wechatpay')
class PaymentController {
  constructor(private readonly ledger: RecoveryLedger) {}

  @Post('notify')
  @WechatNotify({ events: ['TRANSACTION.SUCCESS'] })
  async paid(
    @WechatPayload() transaction: TransactionNotification,
    @WechatNotification() envelope: NotificationEnvelope,
    @Headers('user-agent') userAgent: string | undefined,
  ): Promise<void> {
    if (this.ledger.delayMs)
      await new Promise((resolve) => setTimeout(resolve, this.ledger.delayMs));
    this.ledger.paid.push({ transaction, envelope, userAgent });
  }
}

@Injectable()
class Outcomes {
  constructor(private readonly ledger: RecoveryLedger) {}

  @WechatRecoveryOutcome()
  ended(outcome: RecoveryOutcome): void {
    this.ledger.outcomes.push(outcome);
  }
}

/** A running app with recovery on and the handler and hook above. */
export interface RecoveryApp {
  app: INestApplication;
  ledger: RecoveryLedger;
  wechatPay: WechatPayService;
  notifyUrl: string;
}

/** Where BullMQ keeps its jobs: a Redis server and a queue name. */
export interface BullQueueSetup {
  port: number;
  queue: string;
}

/**
 * The registration as a Nest app wires it: BullModule's connection and queue, the queue
 * injected into the options factory for `BullmqRecoveryScheduler`.
 */
function wechatPayImports(options: WechatPayOptions, bull?: BullQueueSetup) {
  if (!bull) return [WechatPayModule.forRoot(options)];
  return [
    BullModule.forRoot({ connection: { host: '127.0.0.1', port: bull.port } }),
    WechatPayModule.forRootAsync({
      imports: [BullModule.registerQueue({ name: bull.queue })],
      inject: [getQueueToken(bull.queue)],
      useFactory: (queue: Queue) => ({
        ...options,
        recoveryScheduler: new BullmqRecoveryScheduler(queue),
      }),
    }),
  ];
}

/**
 * Starts an app whose registration has `options` (recovery on), listening on 127.0.0.1; with
 * `bull`, its recovery runs on BullMQ.
 */
export async function startRecoveryApp(
  adapter: AdapterName,
  options: WechatPayOptions,
  bull?: BullQueueSetup,
): Promise<RecoveryApp> {
  @Module({
    imports: wechatPayImports(options, bull),
    controllers: [PaymentController],
    providers: [RecoveryLedger, Outcomes],
  })
  class RecoveryAppModule {}
  const app = await NestFactory.create(
    RecoveryAppModule,
    adapter === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    { logger: false, abortOnError: false },
  );
  useWechatPayRawBody(app);
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as import('node:http').Server).address() as {
    port: number;
  };
  return {
    app,
    ledger: app.get(RecoveryLedger),
    wechatPay: app.get(WechatPayService),
    notifyUrl: `http://127.0.0.1:${port}/wechatpay/notify`,
  };
}

/**
 * Waits until `check` holds, polling. The deadline is for a loaded CI machine: the schedules
 * under test take milliseconds, but timers and sockets there may lag by seconds.
 */
export async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** An RFC 3339 `time_expire` `seconds` from now. */
export function inSeconds(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
