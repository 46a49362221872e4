import { type DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { type OrderDatabase, openOrderDatabase } from './order-database.js';
import { ORDER_DATABASE } from './order-database.token.js';

/**
 * Provides the orders' database (`ORDER_DATABASE`) to every module, including the WechatPay
 * registrations, whose recovery schedule is kept in it (SqlRecoveryStore).
 */
@Global()
@Module({})
export class OrderDatabaseModule {
  /**
   * The module, with the database it provides.
   * @param database one to use as it is (tests); without it, PostgreSQL at `DATABASE_URL` is
   *   opened, else an embedded in-memory one (PGlite)
   */
  static register(database?: OrderDatabase): DynamicModule {
    return {
      module: OrderDatabaseModule,
      imports: [ConfigModule],
      providers: [
        {
          provide: ORDER_DATABASE,
          inject: [ConfigService],
          useFactory: (config: ConfigService) =>
            database ?? openOrderDatabase(config.get<string>('DATABASE_URL') || undefined),
        },
      ],
      exports: [ORDER_DATABASE],
    };
  }
}
