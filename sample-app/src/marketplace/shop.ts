import { ServiceUnavailableException } from '@nestjs/common';

/** The shop that sells through the marketplace and receives its share of each order. */
export interface Shop {
  /** Its WeChat Pay merchant number: the MERCHANT_ID receiver. */
  mchid: string;
  /** Its registered full name (商户全称), which WeChat Pay checks; sent encrypted by the library. */
  name: string;
  /** The shop's share of each order, in percent; the marketplace keeps the rest. */
  sharePercent: number;
}

/**
 * The shop from MARKETPLACE_SHOP_MCHID, MARKETPLACE_SHOP_NAME and MARKETPLACE_SHOP_SHARE_PERCENT
 * (default 70), read when first needed so that a .env file is read first.
 * @throws ServiceUnavailableException naming the variables when the shop is not configured
 */
export function shopFromEnv(env: NodeJS.ProcessEnv = process.env): Shop {
  const mchid = env.MARKETPLACE_SHOP_MCHID;
  const name = env.MARKETPLACE_SHOP_NAME;
  if (!mchid || !name) {
    throw new ServiceUnavailableException(
      'the marketplace needs its shop: set MARKETPLACE_SHOP_MCHID and MARKETPLACE_SHOP_NAME',
    );
  }
  const sharePercent = Number(env.MARKETPLACE_SHOP_SHARE_PERCENT ?? 70);
  if (!Number.isInteger(sharePercent) || sharePercent < 1 || sharePercent > 99) {
    throw new ServiceUnavailableException('MARKETPLACE_SHOP_SHARE_PERCENT must be 1 to 99');
  }
  return { mchid, name, sharePercent };
}

/** Whether the shop is configured, for the checkout page. */
export const shopConfigured = (env: NodeJS.ProcessEnv = process.env): boolean =>
  Boolean(env.MARKETPLACE_SHOP_MCHID && env.MARKETPLACE_SHOP_NAME);
