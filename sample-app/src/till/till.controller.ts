import {
  Body,
  Controller,
  Get,
  Header,
  Inject,
  Ip,
  NotFoundException,
  Optional,
  Post,
  UseGuards,
  ValidationPipe,
} from '@nestjs/common';
import type { WechatPaySimulator } from 'nestjs-wechatpay/testing';
import { StaffGuard } from '../orders/staff.guard.js';
import { WECHATPAY_SIMULATOR } from '../simulator/simulator.token.js';
import { ChargeDto, PayerDto } from './till.dto.js';
import { TILL_PAGE } from './till.page.js';
import { TillService } from './till.service.js';
import { newPaymentCode, PAYER_SCRIPTS } from './till-simulator.js';

const validate = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true });

/** The till (付款码): the cashier scans the code in the payer's WeChat and charges it. */
@Controller('till')
export class TillController {
  constructor(
    private readonly till: TillService,
    @Optional() @Inject(WECHATPAY_SIMULATOR) private readonly simulator?: WechatPaySimulator,
  ) {}

  /** The till page. */
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return TILL_PAGE;
  }

  /** Charges a scanned code; answers once the payment is final (up to ~45 s with a password). */
  @Post('charge')
  @UseGuards(StaffGuard)
  charge(@Body(validate) body: ChargeDto, @Ip() tillIp: string) {
    return this.till.charge(
      body.productId,
      body.authCode,
      body.api ?? 'v3',
      tillIp.replace(/^::ffff:/, '') || '127.0.0.1',
    );
  }

  /** Demo only: a payer's phone showing a fresh code that behaves as asked. */
  @Post('simulator/payment-code')
  paymentCode(@Body(validate) body: PayerDto): { authCode: string } {
    if (!this.simulator) throw new NotFoundException('only against the simulator');
    const authCode = newPaymentCode();
    this.simulator.scriptPaymentCode(authCode, PAYER_SCRIPTS[body.behaviour]);
    return { authCode };
  }
}
