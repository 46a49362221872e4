import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { MerchantTransferConfirmParams } from 'nestjs-wechatpay';

/**
 * CREATED (our record, before WeChat Pay is called) → WAITING_USER (the user confirms in WeChat)
 * → PAID_OUT; or CANCELLED (by us, or not confirmed within 24 hours), or FAILED. UNCLEAR: WeChat
 * Pay's answer never came; the same out_bill_no is retried, never a new one.
 */
export type RewardStatus =
  'CREATED' | 'WAITING_USER' | 'UNCLEAR' | 'PAID_OUT' | 'CANCELLED' | 'FAILED';

export interface Reward {
  /** Our reward number, sent to WeChat Pay as `out_bill_no` (letters and digits, ≤ 32). */
  id: string;
  openid: string;
  /** Fen. */
  amount: number;
  status: RewardStatus;
  transferBillNo?: string;
  /** What the mini program passes to wx.requestMerchantTransfer while WAITING_USER. */
  confirmParams?: MerchantTransferConfirmParams;
  history: RewardStatus[];
}

/** Rewards in memory: the seam where a database goes (see OrderRepository). */
@Injectable()
export class RewardRepository {
  private readonly rewards = new Map<string, Reward>();

  create(fields: Pick<Reward, 'openid' | 'amount'>): Reward {
    const id = `RW${Date.now()}${randomBytes(4).toString('hex')}`;
    const reward: Reward = { ...fields, id, status: 'CREATED', history: ['CREATED'] };
    this.rewards.set(id, reward);
    return reward;
  }

  find(id: string): Reward | undefined {
    return this.rewards.get(id);
  }

  /** Moves a reward on; one atomic conditional update in a real database. */
  update(id: string, fields: Partial<Omit<Reward, 'id' | 'history'>>): Reward {
    const reward = this.rewards.get(id)!;
    Object.assign(reward, fields);
    if (fields.status && reward.history.at(-1) !== fields.status)
      reward.history.push(fields.status);
    return reward;
  }
}
