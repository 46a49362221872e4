import {
  ConflictException,
  Controller,
  type DynamicModule,
  HttpCode,
  Inject,
  Module,
  Param,
  Post,
} from '@nestjs/common';
import type { WechatPaySimulator } from 'nestjs-wechatpay/testing';
import { WECHATPAY_SIMULATOR } from './simulator.token.js';

/** Demo only: lets the checkout page do what the payer's phone does against real WeChat Pay. */
@Controller('simulator')
class SimulatorBridgeController {
  constructor(@Inject(WECHATPAY_SIMULATOR) private readonly simulator: WechatPaySimulator) {}

  /** The payer scans the QR code and pays; WeChat Pay then sends the notification. */
  @Post('orders/:id/pay')
  @HttpCode(204)
  pay(@Param('id') id: string): void {
    try {
      this.simulator.pay(id);
    } catch (error) {
      throw new ConflictException((error as Error).message);
    }
  }

  /** The user confirms a reward transfer in WeChat; WeChat Pay then sends the notification. */
  @Post('transfers/:id/confirm')
  @HttpCode(204)
  confirmTransfer(@Param('id') id: string): void {
    try {
      this.simulator.confirmTransfer(id);
    } catch (error) {
      throw new ConflictException((error as Error).message);
    }
  }
}

/**
 * Never imported in production: `AppModule.register({ simulator })` adds it when the app runs
 * against a local WechatPaySimulator.
 */
@Module({})
export class SimulatorBridgeModule {
  static register(simulator: WechatPaySimulator): DynamicModule {
    return {
      module: SimulatorBridgeModule,
      global: true,
      controllers: [SimulatorBridgeController],
      providers: [{ provide: WECHATPAY_SIMULATOR, useValue: simulator }],
      exports: [WECHATPAY_SIMULATOR],
    };
  }
}
