import { Body, Controller, Get, Header, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { StaffGuard } from '../orders/staff.guard.js';
import { MARKETPLACE_SCRIPT } from './marketplace.script.js';
import { MarketplaceService } from './marketplace.service.js';
import { shopConfigured } from './shop.js';

/**
 * The marketplace flow: an order frozen for profit sharing, the shop's share split to it, the
 * rest released. Splitting and releasing move money: staff only, like refunds.
 */
@Controller('marketplace')
export class MarketplaceController {
  constructor(private readonly marketplace: MarketplaceService) {}

  /** Whether the checkout page offers the marketplace order. */
  @Get('config')
  config(): { enabled: boolean } {
    return { enabled: shopConfigured() };
  }

  /** The checkout page's marketplace section. */
  @Get('checkout.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  script(): string {
    return MARKETPLACE_SCRIPT;
  }

  @Post('orders')
  place(@Body() body: { productId?: string }) {
    return this.marketplace.place(body.productId ?? 'mooncake');
  }

  @Post('orders/:id/split')
  @UseGuards(StaffGuard)
  @HttpCode(200)
  split(@Param('id') id: string) {
    return this.marketplace.split(id);
  }

  @Get('orders/:id/split')
  status(@Param('id') id: string) {
    return this.marketplace.status(id);
  }

  @Post('orders/:id/release')
  @UseGuards(StaffGuard)
  @HttpCode(200)
  release(@Param('id') id: string) {
    return this.marketplace.release(id);
  }
}
