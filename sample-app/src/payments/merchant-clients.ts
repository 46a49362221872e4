import { BadRequestException, Injectable, Optional } from '@nestjs/common';
import { InjectWechatPay, WechatPayService } from 'nestjs-wechatpay';
import { GIFTCARDS_MERCHANT } from '../catalog/catalog.js';

/** The WechatPayService of each merchant this app sells for (several merchants, one app). */
@Injectable()
export class MerchantClients {
  /** By registration name; `undefined` is the default merchant. */
  private readonly services = new Map<string | undefined, WechatPayService>();

  constructor(
    main: WechatPayService,
    // Registered only when WECHATPAY_GIFTCARDS_* is set (see AppModule).
    @Optional() @InjectWechatPay(GIFTCARDS_MERCHANT) giftcards?: WechatPayService,
  ) {
    this.services.set(undefined, main);
    if (giftcards) this.services.set(GIFTCARDS_MERCHANT, giftcards);
  }

  /** Whether the merchant of this registration name is configured. */
  has(merchant: string | undefined): boolean {
    return this.services.has(merchant);
  }

  /** The service of a registration name, as stored on the order. */
  for(merchant: string | undefined): WechatPayService {
    const service = this.services.get(merchant);
    if (service) return service;
    const prefix = `WECHATPAY_${merchant?.toUpperCase()}_`;
    throw new BadRequestException(
      `merchant "${merchant}" is not configured: set ${prefix}MCHID and the rest of its ${prefix}* variables`,
    );
  }
}
