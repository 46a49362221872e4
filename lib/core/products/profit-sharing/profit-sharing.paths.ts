import { segment } from '../path-segment.js';

/** API v3 profit-sharing paths: the same in both modes; partners name the sub-merchant. */
export const PROFIT_SHARING_PATHS = {
  orders: '/v3/profitsharing/orders',
  unfreeze: '/v3/profitsharing/orders/unfreeze',
  returnOrders: '/v3/profitsharing/return-orders',
  addReceiver: '/v3/profitsharing/receivers/add',
  deleteReceiver: '/v3/profitsharing/receivers/delete',
  bills: '/v3/profitsharing/bills',
} as const;

/** A split (分账单) by the merchant's number. */
export const profitSharingOrderPath = (outOrderNo: string): string =>
  `${PROFIT_SHARING_PATHS.orders}/${segment(outOrderNo)}`;

/** A return (分账回退单) by the merchant's number. */
export const profitSharingReturnPath = (outReturnNo: string): string =>
  `${PROFIT_SHARING_PATHS.returnOrders}/${segment(outReturnNo)}`;

/** The amount of a payment still frozen for splitting. */
export const unsplitAmountPath = (transactionId: string): string =>
  `/v3/profitsharing/transactions/${segment(transactionId)}/amounts`;
