import {
  Body,
  Controller,
  Get,
  Header,
  Ip,
  NotFoundException,
  Param,
  ParseEnumPipe,
  Post,
  UseGuards,
  ValidationPipe,
} from '@nestjs/common';
import QRCode from 'qrcode';
import { PAY_CHANNELS, type PayChannel } from '../payments/prepay.service.js';
import { CreateOrderDto, PayDto } from './order.dto.js';
import { OrdersService } from './orders.service.js';
import { StaffGuard } from './staff.guard.js';

const validate = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true });

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  create(@Body(validate) body: CreateOrderDto) {
    return this.orders.create(body.productId, body.api);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.orders.get(id);
  }

  /** Starts the payment: `native` answers a code_url, `jsapi`/`app` the client's parameters, `h5` a URL. */
  @Post(':id/pay/:channel')
  pay(
    @Param('id') id: string,
    @Param('channel', new ParseEnumPipe(Object.fromEntries(PAY_CHANNELS.map((c) => [c, c]))))
    channel: PayChannel,
    @Body(validate) body: PayDto = {},
    @Ip() clientIp: string,
  ) {
    return this.orders.pay(id, channel, {
      openid: body.openid,
      clientIp: clientIp.replace(/^::ffff:/, '') || '127.0.0.1',
    });
  }

  /** The Native code_url as a QR code for the payer to scan. */
  @Get(':id/qr.svg')
  @Header('Content-Type', 'image/svg+xml')
  @Header('Cache-Control', 'no-store')
  async qrCode(@Param('id') id: string): Promise<string> {
    const { codeUrl } = await this.orders.get(id);
    if (!codeUrl) throw new NotFoundException(`order ${id} has no Native payment yet`);
    return QRCode.toString(codeUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  }

  @Get(':id/wechatpay-state')
  async state(@Param('id') id: string) {
    return { tradeState: await this.orders.query(id) };
  }

  @Post(':id/close')
  @UseGuards(StaffGuard)
  close(@Param('id') id: string) {
    return this.orders.close(id);
  }

  /** Again while REFUNDING: re-sends the same refund, the safe retry after a timeout. */
  @Post(':id/refund')
  @UseGuards(StaffGuard)
  refund(@Param('id') id: string) {
    return this.orders.refund(id);
  }
}
