import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import {
  type TransferBillCreated,
  type TransferBillNotification,
  WechatPayService,
  WechatPayTransferUnclearError,
} from 'nestjs-wechatpay';
import { type Reward, RewardRepository, type RewardStatus } from './reward.repository.js';

/** The reward every new member gets, in fen (¥5.00). */
export const NEW_MEMBER_REWARD = 500;

const FINAL: Record<TransferBillNotification['state'], RewardStatus> = {
  SUCCESS: 'PAID_OUT',
  FAIL: 'FAILED',
  CANCELLED: 'CANCELLED',
};

/** Pays rewards out to users' WeChat balances with 商家转账 (the user confirms each one). */
@Injectable()
export class RewardsService {
  private readonly logger = new Logger('Rewards');
  /** Each reward's transfer request exactly as first sent: a retry re-sends it unchanged. */
  private readonly requests = new Map<
    string,
    Parameters<WechatPayService['transfers']['create']>[0]
  >();

  constructor(
    private readonly repository: RewardRepository,
    private readonly wechatPay: WechatPayService,
  ) {}

  /**
   * Records the reward first, so that its out_bill_no survives a crash, then asks WeChat Pay.
   * An unclear answer is retried with the SAME out_bill_no (WeChat Pay pays it once).
   */
  async grant(openid: string, userName?: string): Promise<Reward> {
    const reward = this.repository.create({ openid, amount: NEW_MEMBER_REWARD });
    const transfer = {
      out_bill_no: reward.id,
      transfer_scene_id: '1000',
      openid,
      transfer_amount: reward.amount,
      transfer_remark: '新会员奖励',
      ...(userName ? { user_name: userName } : {}),
      transfer_scene_report_infos: [
        { info_type: '活动名称', info_content: '新会员有礼' },
        { info_type: '奖励说明', info_content: '注册奖励5元' },
      ],
      notify_url: `${process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000'}/wechatpay/transfer-notify`,
    };
    this.requests.set(reward.id, transfer);
    return this.send(reward.id);
  }

  /**
   * Sends a reward whose outcome is UNCLEAR again: the same request, the same out_bill_no, never
   * a new number (WeChat Pay pays one transfer per out_bill_no).
   */
  async retry(id: string): Promise<Reward> {
    const reward = this.get(id);
    const transfer = this.requests.get(id);
    if (reward.status !== 'UNCLEAR' || !transfer) {
      throw new ConflictException(
        `reward ${id} is ${reward.status}: only an UNCLEAR one is re-sent`,
      );
    }
    return this.send(id);
  }

  private async send(id: string): Promise<Reward> {
    const transfer = this.requests.get(id)!;
    let created: TransferBillCreated;
    try {
      created = await this.wechatPay.transfers.create(transfer);
    } catch (error) {
      if (!(error instanceof WechatPayTransferUnclearError)) throw error;
      this.repository.update(id, { status: 'UNCLEAR' });
      try {
        created = await this.wechatPay.transfers.create(transfer);
      } catch (again) {
        if (!(again instanceof WechatPayTransferUnclearError)) throw again;
        // Still unclear: it stays UNCLEAR for staff to re-send (POST /rewards/:id/retry).
        this.logger.warn(`reward ${id}: transfer outcome unclear, re-send it with the same number`);
        return this.get(id);
      }
    }
    return this.repository.update(id, {
      status: created.state === 'WAIT_USER_CONFIRM' ? 'WAITING_USER' : 'UNCLEAR',
      transferBillNo: created.transfer_bill_no,
      confirmParams: created.package_info
        ? this.wechatPay.transfers.confirmParams(created)
        : undefined,
    });
  }

  get(id: string): Reward {
    const reward = this.repository.find(id);
    if (!reward) throw new NotFoundException(`no reward ${id}`);
    return reward;
  }

  async cancel(id: string): Promise<Reward> {
    this.get(id);
    await this.wechatPay.transfers.cancel(id);
    return this.get(id);
  }

  /** MCHTRANSFER.BILL.FINISHED: the reward's final state, once its amount matches ours. */
  finished(bill: TransferBillNotification): void {
    const reward = this.repository.find(bill.out_bill_no);
    if (!reward || reward.amount !== bill.transfer_amount) {
      // Verified, but not a reward we know as such: acknowledge, and leave it for staff.
      this.logger.warn(`transfer notification for ${bill.out_bill_no} does not match a reward`);
      return;
    }
    this.repository.update(reward.id, { status: FINAL[bill.state], confirmParams: undefined });
  }
}
