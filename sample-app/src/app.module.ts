import { type DynamicModule, Module } from '@nestjs/common';
import { ConditionalModule, ConfigModule } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { fileURLToPath } from 'node:url';
import {
  wechatPayConfig,
  wechatPayOptionsFromEnv,
  WechatPayModule,
  type WechatPayOptions,
} from 'nestjs-wechatpay';
import type { WechatPaySimulator } from 'nestjs-wechatpay/testing';
import { AbnormalRefundsController } from './abnormal-refunds/abnormal-refunds.controller.js';
import { AbnormalRefundsService } from './abnormal-refunds/abnormal-refunds.service.js';
import { GIFTCARDS_MERCHANT } from './catalog/catalog.js';
import { CheckoutController } from './checkout/checkout.controller.js';
import { MarketplaceController } from './marketplace/marketplace.controller.js';
import { MarketplaceService } from './marketplace/marketplace.service.js';
import { ComplaintInbox } from './complaints/complaint-inbox.js';
import { ComplaintNotificationsController } from './complaints/complaint-notifications.controller.js';
import { ComplaintsController } from './complaints/complaints.controller.js';
import type { OrderDatabase } from './orders/database/order-database.js';
import { OrderDatabaseModule } from './orders/database/order-database.module.js';
import { ORDER_DATABASE } from './orders/database/order-database.token.js';
import { OrderRepository } from './orders/order.repository.js';
import { OrdersController } from './orders/orders.controller.js';
import { OrdersService } from './orders/orders.service.js';
import { MerchantClients } from './payments/merchant-clients.js';
import { NotificationsController } from './payments/notifications.controller.js';
import { PrepayService } from './payments/prepay.service.js';
import { RecoveryOutcomes } from './recovery/recovery-outcomes.js';
import { SqlRecoveryStore } from './recovery/sql-recovery-store.js';
import { RewardRepository } from './rewards/reward.repository.js';
import { RewardsController } from './rewards/rewards.controller.js';
import { RewardsService } from './rewards/rewards.service.js';
import { ReconciliationService } from './reconciliation/reconciliation.service.js';
import { DailyReconciliationModule } from './reconciliation/daily-reconciliation.module.js';
import { WechatPayErrorFilter } from './payments/wechatpay-error.filter.js';
import { SimulatorBridgeModule } from './simulator/simulator-bridge.module.js';
import { TillController } from './till/till.controller.js';
import { TillService } from './till/till.service.js';

export interface AppOptions {
  /** Run against this local simulator: adds its "scan and pay" route (demo and tests only). */
  simulator?: WechatPaySimulator;
  /**
   * The orders' database, which the app closes when it stops.
   * @default PostgreSQL at DATABASE_URL, else an embedded in-memory one (PGlite)
   */
  database?: OrderDatabase;
}

@Module({
  controllers: [
    CheckoutController,
    OrdersController,
    NotificationsController,
    MarketplaceController,
    TillController,
    ComplaintsController,
    ComplaintNotificationsController,
    AbnormalRefundsController,
    RewardsController,
  ],
  providers: [
    OrderRepository,
    OrdersService,
    PrepayService,
    MerchantClients,
    MarketplaceService,
    TillService,
    ComplaintInbox,
    AbnormalRefundsService,
    // A reward paid out to a user (商家转账).
    RewardRepository,
    RewardsService,
    ReconciliationService,
    // Orders whose notification never came (WECHATPAY_RECOVERY): closed, or flagged for staff.
    RecoveryOutcomes,
    { provide: APP_FILTER, useClass: WechatPayErrorFilter },
  ],
})
export class AppModule {
  /**
   * Configured from the environment (WECHATPAY_*, and WECHATPAY_GIFTCARDS_* for the second
   * merchant), as in production: see .env.example. Built when called, so that variables set
   * before start-up (a .env file, the demo) are the ones read.
   */
  static register(options: AppOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          // sample-app/.env, from wherever the app is started (src/ in tests, dist/ when built).
          envFilePath: fileURLToPath(new URL('../.env', import.meta.url)),
          ignoreEnvFile: process.env.NODE_ENV === 'test',
        }),
        OrderDatabaseModule.register(options.database),
        // The default merchant; recovery's schedule in the orders' database survives restarts.
        WechatPayModule.forRootAsync({
          ...wechatPayConfig.asProvider(),
          inject: [wechatPayConfig.KEY, ORDER_DATABASE],
          useFactory: (merchant: WechatPayOptions, database: OrderDatabase) => ({
            ...merchant,
            recoveryStore: new SqlRecoveryStore(database),
          }),
        }),
        // A second merchant, under a name, when its variables are set.
        ConditionalModule.registerWhen(
          WechatPayModule.forRootAsync({
            name: GIFTCARDS_MERCHANT,
            inject: [ORDER_DATABASE],
            useFactory: (database: OrderDatabase) => ({
              ...wechatPayOptionsFromEnv(process.env, 'WECHATPAY_GIFTCARDS_'),
              recoveryStore: new SqlRecoveryStore(database),
            }),
          }),
          (env) => Boolean(env.WECHATPAY_GIFTCARDS_MCHID),
          { debug: false },
        ),
        // The library's daily reconciliation job, on ReconciliationService's source and hook.
        ConditionalModule.registerWhen(
          DailyReconciliationModule,
          (env) => env.DAILY_RECONCILIATION === 'true',
          { debug: false },
        ),
        ...(options.simulator ? [SimulatorBridgeModule.register(options.simulator)] : []),
      ],
    };
  }
}
