import { Controller, Get, Header, Inject, Optional } from '@nestjs/common';
import { PRODUCTS } from '../catalog/catalog.js';
import { MerchantClients } from '../payments/merchant-clients.js';
import { WECHATPAY_SIMULATOR } from '../simulator/simulator.token.js';
import { CHECKOUT_PAGE } from './checkout.page.js';

@Controller()
export class CheckoutController {
  constructor(
    private readonly merchants: MerchantClients,
    @Optional() @Inject(WECHATPAY_SIMULATOR) private readonly simulator?: object,
  ) {}

  /** The checkout page: pick a product, pay by QR code, watch the status, refund. */
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  page(): string {
    return CHECKOUT_PAGE;
  }

  /** What the page offers: the products whose merchant is configured, and the simulator button. */
  @Get('checkout/config')
  config() {
    return {
      products: PRODUCTS.filter((product) => this.merchants.has(product.merchant)),
      simulator: this.simulator !== undefined,
    };
  }
}
