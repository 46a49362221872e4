/** API v3 bill paths; the download URL comes with each bill. */
export const BILL_PATHS = {
  tradeBill: '/v3/bill/tradebill',
  fundFlowBill: '/v3/bill/fundflowbill',
} as const;

/** API v2 bill paths. */
export const V2_BILL_PATHS = {
  downloadBill: '/pay/downloadbill',
  downloadFundFlow: '/pay/downloadfundflow',
} as const;
