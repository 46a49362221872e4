import { BadRequestException, Injectable, Optional } from '@nestjs/common';
import { InjectWechatPay, WechatPayService } from 'nestjs-wechatpay';
import { GIFTCARDS_MERCHANT } from '../catalog/catalog.js';

/** The WechatPayService of each merchant this app sells for (several merchants, one app). */
@Injectable()
export class MerchantClients {
  constructor(
    private readonly main: WechatPayService,
    // Registered only when WECHATPAY_GIFTCARDS_* is set (see AppModule).
    @Optional()
    @InjectWechatPay(GIFTCARDS_MERCHANT)
    private readonly giftcards?: WechatPayService,
  ) {}

  /** Whether the merchant of this registration name is configured. */
  has(merchant: string | undefined): boolean {
    return merchant === undefined || (merchant === GIFTCARDS_MERCHANT && !!this.giftcards);
  }

  /** The service of a registration name, as stored on the order. */
  for(merchant: string | undefined): WechatPayService {
    if (merchant === undefined) return this.main;
    if (merchant === GIFTCARDS_MERCHANT && this.giftcards) return this.giftcards;
    throw new BadRequestException(
      `merchant "${merchant}" is not configured: set WECHATPAY_${merchant.toUpperCase()}_MCHID and the rest of its WECHATPAY_${merchant.toUpperCase()}_* variables`,
    );
  }
}
