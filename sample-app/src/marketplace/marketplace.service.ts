import { ConflictException, Injectable } from '@nestjs/common';
import type { ProfitSharingOrder } from 'nestjs-wechatpay';
import { findProduct } from '../catalog/catalog.js';
import type { Order } from '../orders/order.repository.js';
import { OrdersService } from '../orders/orders.service.js';
import { MerchantClients } from '../payments/merchant-clients.js';
import { notifyUrl } from '../payments/notify-urls.js';
import { type Shop, shopFromEnv } from './shop.js';

/** Where a marketplace order's money stands: the shop's split and what is still frozen. */
export interface MarketplaceSplit {
  orderId: string;
  shop: string;
  /** Fen the shop gets. */
  shopShare: number;
  /** 商户分账单号 of the shop's split, and of the release of the rest. */
  splitNo: string;
  unfreezeNo: string;
  split?: ProfitSharingOrder;
  /** Fen still frozen at WeChat Pay. */
  unsplitAmount?: number;
}

/**
 * A marketplace order (default merchant, API v3): paid with `settle_info.profit_sharing`, so the
 * money stays frozen; once paid, the shop's share is split to it and the rest released to the
 * marketplace. Split numbers derive from the order number, so a retried call re-sends the same
 * `out_order_no`, which WeChat Pay treats as the same split: never a second payout.
 */
@Injectable()
export class MarketplaceService {
  /** Shops added as receivers since start-up (adding again is harmless, just not needed). */
  private readonly addedShops = new Set<string>();

  constructor(
    private readonly orders: OrdersService,
    private readonly merchants: MerchantClients,
  ) {}

  /** Creates an order of `productId` and its QR code, frozen for profit sharing. */
  async place(productId: string): Promise<{ order: Order; codeUrl: string }> {
    const product = findProduct(productId);
    if (product?.merchant)
      throw new ConflictException(`${product.name} is not sold by the marketplace`);
    const order = await this.orders.create(productId, 'v3');
    const { code_url } = await this.merchants.for(undefined).payments.prepayNative({
      description: order.product,
      out_trade_no: order.id,
      amount: { total: order.total },
      notify_url: notifyUrl('payment', order),
      settle_info: { profit_sharing: true },
    });
    return { order, codeUrl: code_url };
  }

  /** Splits the shop's share of a paid order to the shop (the rest stays frozen until `release`). */
  async split(orderId: string): Promise<MarketplaceSplit> {
    const order = await this.paidOrder(orderId);
    const shop = shopFromEnv();
    await this.addShop(shop);
    const state = this.state(order, shop);
    state.split = await this.wechatPay().profitSharing.split({
      transaction_id: order.transactionId!,
      out_order_no: state.splitNo,
      receivers: [
        {
          type: 'MERCHANT_ID',
          account: shop.mchid,
          amount: state.shopShare,
          description: `share of order ${order.id}`,
        },
      ],
      unfreeze_unsplit: false,
    });
    return this.withUnsplit(order, state);
  }

  /** The shop's split as WeChat Pay reports it now, and what is still frozen. */
  async status(orderId: string): Promise<MarketplaceSplit> {
    const order = await this.paidOrder(orderId);
    const state = this.state(order, shopFromEnv());
    state.split = await this.wechatPay().profitSharing.query(state.splitNo, order.transactionId!);
    return this.withUnsplit(order, state);
  }

  /** Releases what is still frozen to the marketplace: the order's splitting ends. */
  async release(orderId: string): Promise<MarketplaceSplit> {
    const order = await this.paidOrder(orderId);
    const state = this.state(order, shopFromEnv());
    await this.wechatPay().profitSharing.unfreeze({
      transaction_id: order.transactionId!,
      out_order_no: state.unfreezeNo,
      description: `marketplace commission of order ${order.id}`,
    });
    return this.withUnsplit(order, state);
  }

  private wechatPay() {
    return this.merchants.for(undefined);
  }

  private async paidOrder(orderId: string): Promise<Order> {
    const order = await this.orders.get(orderId);
    if (order.merchant || !order.transactionId || order.status !== 'PAID') {
      throw new ConflictException(`order ${orderId} is not a paid marketplace order`);
    }
    return order;
  }

  private state(order: Order, shop: Shop): MarketplaceSplit {
    return {
      orderId: order.id,
      shop: shop.mchid,
      shopShare: Math.floor((order.total * shop.sharePercent) / 100),
      // out_order_no allows 64 characters; order ids are at most 32.
      splitNo: `PS${order.id}`,
      unfreezeNo: `PU${order.id}`,
    };
  }

  private async withUnsplit(order: Order, state: MarketplaceSplit): Promise<MarketplaceSplit> {
    const { unsplit_amount } = await this.wechatPay().profitSharing.unsplitAmount(
      order.transactionId!,
    );
    return { ...state, unsplitAmount: unsplit_amount };
  }

  private async addShop(shop: Shop): Promise<void> {
    if (this.addedShops.has(shop.mchid)) return;
    await this.wechatPay().profitSharing.addReceiver({
      type: 'MERCHANT_ID',
      account: shop.mchid,
      name: shop.name,
      relation_type: 'STORE',
    });
    this.addedShops.add(shop.mchid);
  }
}
