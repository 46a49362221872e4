import { BadRequestException, Injectable } from '@nestjs/common';
import type { AppPayParams, JsapiPayParams, V2JsapiPayParams } from 'nestjs-wechatpay';
import type { Order } from '../orders/order.repository.js';
import { MerchantClients } from './merchant-clients.js';
import { notifyUrl } from './notify-urls.js';

/** How the payer pays: QR code, in WeChat (official account / mini program), in an App, in a mobile browser. */
export const PAY_CHANNELS = ['native', 'jsapi', 'app', 'h5'] as const;
export type PayChannel = (typeof PAY_CHANNELS)[number];

/** What the front end needs to start the payment. */
export type PrepayAnswer =
  | { channel: 'native'; codeUrl: string }
  | { channel: 'jsapi'; payParams: JsapiPayParams | V2JsapiPayParams }
  | { channel: 'app'; payParams: AppPayParams }
  | { channel: 'h5'; h5Url: string };

export interface Payer {
  /** The payer's openid under the app id: JSAPI only. */
  openid?: string;
  /** The payer's IP address, which API v2 and H5 require. */
  clientIp: string;
}

const V2_TRADE_TYPES = { native: 'NATIVE', jsapi: 'JSAPI', app: 'APP', h5: 'MWEB' } as const;

/** Places an order with WeChat Pay, API v3 or v2, for each payment channel. */
@Injectable()
export class PrepayService {
  constructor(private readonly merchants: MerchantClients) {}

  prepay(order: Order, channel: PayChannel, payer: Payer): Promise<PrepayAnswer> {
    if (channel === 'jsapi' && !payer.openid) {
      throw new BadRequestException('JSAPI payment needs the payer\'s openid: { "openid": "…" }');
    }
    return order.api === 'v2'
      ? this.prepayV2(order, channel, payer)
      : this.prepayV3(order, channel, payer);
  }

  private async prepayV3(order: Order, channel: PayChannel, payer: Payer): Promise<PrepayAnswer> {
    const wechatPay = this.merchants.for(order.merchant);
    const base = {
      description: order.product,
      out_trade_no: order.id,
      amount: { total: order.total },
      notify_url: notifyUrl('payment', order),
    };
    switch (channel) {
      case 'native':
        return { channel, codeUrl: (await wechatPay.payments.prepayNative(base)).code_url };
      case 'jsapi': {
        const { prepay_id } = await wechatPay.payments.prepayJsapi({
          ...base,
          payer: { openid: payer.openid! },
        });
        return { channel, payParams: wechatPay.payments.jsapiPayParams(prepay_id) };
      }
      case 'app': {
        const { prepay_id } = await wechatPay.payments.prepayApp(base);
        return { channel, payParams: wechatPay.payments.appPayParams(prepay_id) };
      }
      case 'h5': {
        const { h5_url } = await wechatPay.payments.prepayH5({
          ...base,
          scene_info: { payer_client_ip: payer.clientIp, h5_info: { type: 'Wap' } },
        });
        return { channel, h5Url: h5_url };
      }
    }
  }

  private async prepayV2(order: Order, channel: PayChannel, payer: Payer): Promise<PrepayAnswer> {
    const { v2 } = this.merchants.for(order.merchant);
    const answer = await v2.payments.unifiedOrder({
      body: order.product,
      out_trade_no: order.id,
      total_fee: order.total,
      spbill_create_ip: payer.clientIp,
      trade_type: V2_TRADE_TYPES[channel],
      notify_url: notifyUrl('payment', order),
      ...(channel === 'jsapi' ? { openid: payer.openid } : {}),
      ...(channel === 'h5'
        ? {
            scene_info: JSON.stringify({
              h5_info: { type: 'Wap', wap_url: process.env.PUBLIC_URL, wap_name: 'Sample shop' },
            }),
          }
        : {}),
    });
    switch (channel) {
      case 'native':
        return { channel, codeUrl: answer.code_url! };
      case 'jsapi':
        return { channel, payParams: await v2.payments.jsapiPayParams(answer.prepay_id) };
      case 'app':
        return { channel, payParams: await v2.payments.appPayParams(answer.prepay_id) };
      case 'h5':
        return { channel, h5Url: answer.mweb_url! };
    }
  }
}
