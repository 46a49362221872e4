import { randomBytes } from 'node:crypto';
import type {
  TransferBill,
  TransferBillCreated,
  TransferBillState,
} from '../../../core/products/transfers/transfers.types.js';
import { randomDigits } from '../../ids.js';
import { chinaTime } from '../../time.js';

/** A transfer bill the simulator keeps. */
export interface SimulatedTransfer {
  mchid: string;
  subMchid?: string;
  outBillNo: string;
  transferBillNo: string;
  appid: string;
  sceneId: string;
  openid: string;
  amount: number;
  remark: string;
  /** `user_name` as sent (encrypted), returned by queries as WeChat Pay does. */
  encryptedUserName?: string;
  /** `user_name` decrypted by the simulator: what a test checks the library sent. */
  userName?: string;
  notifyUrl?: string;
  state: TransferBillState;
  failReason?: string;
  packageInfo: string;
  /** What decides whether a repeated `out_bill_no` is the same request. */
  fingerprint: string;
  createdAt: Date;
  updatedAt: Date;
  notificationId?: string;
  receipt?: SimulatedReceipt;
}

/** An electronic receipt (电子回单) of a transfer. */
export interface SimulatedReceipt {
  state: 'GENERATING' | 'FINISHED';
  createdAt: Date;
  updatedAt: Date;
  file?: Buffer;
  token?: string;
}

/** What a create request gives a new transfer. */
export type NewTransfer = Omit<
  SimulatedTransfer,
  'transferBillNo' | 'state' | 'packageInfo' | 'createdAt' | 'updatedAt'
>;

/** The transfers of every merchant, by merchant, sub-merchant and `out_bill_no`. */
export class TransferBook {
  private readonly byKey = new Map<string, SimulatedTransfer>();

  /** Called for each new transfer (the product starts its expiry timer). */
  onAdded?: (transfer: SimulatedTransfer) => void;

  /** A new transfer, waiting for the user's confirmation. */
  add(fields: NewTransfer): SimulatedTransfer {
    const now = new Date();
    const transfer: SimulatedTransfer = {
      ...fields,
      transferBillNo: `1330000${randomDigits(33)}`,
      // ACCEPTED → PROCESSING (funds locked) → WAIT_USER_CONFIRM, within the create call unless
      // the product holds it ACCEPTED for a while (`transfers.acceptedForMs`).
      state: 'WAIT_USER_CONFIRM',
      packageInfo: randomBytes(48).toString('base64'),
      createdAt: now,
      updatedAt: now,
    };
    this.byKey.set(key(fields.mchid, fields.subMchid, fields.outBillNo), transfer);
    this.onAdded?.(transfer);
    return transfer;
  }

  /** The transfer `outBillNo` of this merchant (and sub-merchant). */
  find(mchid: string, subMchid: string | undefined, outBillNo: string) {
    return this.byKey.get(key(mchid, subMchid, outBillNo));
  }

  /** The transfer with WeChat Pay's number `transferBillNo`, of this merchant. */
  findByTransferBillNo(mchid: string, subMchid: string | undefined, transferBillNo: string) {
    return this.all().find(
      (t) => t.mchid === mchid && t.subMchid === subMchid && t.transferBillNo === transferBillNo,
    );
  }

  /** Any transfer with this number, whoever made it (test hooks). */
  findAny(outBillNo: string): SimulatedTransfer | undefined {
    return this.all().find((t) => t.outBillNo === outBillNo);
  }

  /** Every transfer, in creation order. */
  all(): SimulatedTransfer[] {
    return [...this.byKey.values()];
  }
}

const key = (mchid: string, subMchid: string | undefined, outBillNo: string) =>
  `${mchid}/${subMchid ?? ''}/${outBillNo}`;

/** The create answer: the transfer as it is now, `package_info` while the user may confirm. */
export function createdJson(t: SimulatedTransfer): TransferBillCreated {
  return {
    out_bill_no: t.outBillNo,
    transfer_bill_no: t.transferBillNo,
    create_time: chinaTime(t.createdAt),
    state: t.state,
    ...(t.failReason ? { fail_reason: t.failReason } : {}),
    ...(t.state === 'WAIT_USER_CONFIRM' || t.state === 'TRANSFERING'
      ? { package_info: t.packageInfo }
      : {}),
  };
}

/** The query answer. */
export function transferJson(t: SimulatedTransfer): TransferBill {
  return {
    mch_id: t.mchid,
    ...(t.subMchid ? { sub_mchid: t.subMchid } : {}),
    out_bill_no: t.outBillNo,
    transfer_bill_no: t.transferBillNo,
    appid: t.appid,
    state: t.state,
    transfer_amount: t.amount,
    transfer_remark: t.remark,
    ...(t.failReason ? { fail_reason: t.failReason } : {}),
    openid: t.openid,
    ...(t.encryptedUserName ? { user_name: t.encryptedUserName } : {}),
    create_time: chinaTime(t.createdAt),
    update_time: chinaTime(t.updatedAt),
  };
}
