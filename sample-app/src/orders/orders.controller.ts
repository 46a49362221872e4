import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { OrdersService } from './orders.service.js';

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  create(@Body() body: { product: string; total: number; api?: 'v3' | 'v2' }) {
    return this.orders.create(body.product, body.total, body.api);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.orders.get(id);
  }

  @Post(':id/pay/native')
  pay(@Param('id') id: string) {
    return this.orders.payNative(id);
  }

  @Get(':id/wechatpay-state')
  async state(@Param('id') id: string) {
    return { tradeState: await this.orders.query(id) };
  }

  @Post(':id/refund')
  refund(@Param('id') id: string) {
    return this.orders.refund(id);
  }
}
