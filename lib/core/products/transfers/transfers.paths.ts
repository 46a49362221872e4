import { segment } from '../path-segment.js';

/**
 * API v3 商家转账 (the upgraded 2025 transfer bills): ordinary merchants and service providers
 * (`/partner/`) have paths of their own.
 */
const MERCHANT = '/v3/fund-app/mch-transfer';
const PARTNER = '/v3/fund-app/mch-transfer/partner';

const base = (partner: boolean): string => `${partner ? PARTNER : MERCHANT}/transfer-bills`;

/** The paths of the transfer API, in merchant or partner mode. */
export const TRANSFER_PATHS = {
  /** 发起转账. */
  create: (partner: boolean): string => base(partner),
  /** 撤销转账. */
  cancel: (partner: boolean, outBillNo: string): string =>
    `${base(partner)}/out-bill-no/${segment(outBillNo)}/cancel`,
  /** 商户单号查询转账单. */
  byOutBillNo: (partner: boolean, outBillNo: string): string =>
    `${base(partner)}/out-bill-no/${segment(outBillNo)}`,
  /** 微信单号查询转账单. */
  byTransferBillNo: (partner: boolean, transferBillNo: string): string =>
    `${base(partner)}/transfer-bill-no/${segment(transferBillNo)}`,
  /** 商户单号申请电子回单 (partner: 申请单笔转账电子回单). */
  applyReceipt: (partner: boolean): string =>
    partner ? `${PARTNER}/electronic-receipts` : `${MERCHANT}/elecsign/out-bill-no`,
  /** 商户单号查询电子回单. */
  receipt: (partner: boolean, outBillNo: string): string =>
    partner
      ? `${PARTNER}/electronic-receipts/${segment(outBillNo)}`
      : `${MERCHANT}/elecsign/out-bill-no/${segment(outBillNo)}`,
} as const;
