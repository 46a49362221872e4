import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { wechatPayConfig, WechatPayModule } from 'nestjs-wechatpay';
import { OrderRepository } from './orders/order.repository.js';
import { OrdersController } from './orders/orders.controller.js';
import { OrdersService } from './orders/orders.service.js';
import { NotificationsController } from './payments/notifications.controller.js';

/** Configured from the environment (WECHATPAY_*), as in production: see .env.example. */
@Module({
  imports: [
    ConfigModule.forRoot({ ignoreEnvFile: process.env.NODE_ENV === 'test' }),
    WechatPayModule.forRootAsync(wechatPayConfig.asProvider()),
  ],
  controllers: [OrdersController, NotificationsController],
  providers: [OrderRepository, OrdersService],
})
export class AppModule {}
