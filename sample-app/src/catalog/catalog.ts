/** What the shop sells. Prices live on the server: a client never says what an order costs. */
export interface Product {
  id: string;
  name: string;
  /** Fen (1/100 yuan), as WeChat Pay counts. */
  price: number;
  /** The WechatPayModule registration that sells it (`undefined`: the default merchant). */
  merchant?: string;
}

/** The second, named merchant: gift cards are sold by another company of the group. */
export const GIFTCARDS_MERCHANT = 'giftcards';

export const PRODUCTS: readonly Product[] = [
  { id: 'coffee', name: 'Coffee 咖啡', price: 1800 },
  { id: 'tea', name: 'Jasmine tea 茉莉花茶', price: 990 },
  { id: 'mooncake', name: 'Mooncake box 月饼礼盒', price: 12800 },
  { id: 'giftcard', name: 'Gift card 礼品卡', price: 5000, merchant: GIFTCARDS_MERCHANT },
];

export function findProduct(id: string): Product | undefined {
  return PRODUCTS.find((product) => product.id === id);
}
