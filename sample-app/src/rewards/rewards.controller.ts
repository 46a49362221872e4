import { BadRequestException, Body, Controller, Get, Param, Post, UseGuards } from '@nestjs/common';
import { type TransferBillNotification, WechatNotify, WechatPayload } from 'nestjs-wechatpay';
import { StaffGuard } from '../orders/staff.guard.js';
import type { Reward } from './reward.repository.js';
import { RewardsService } from './rewards.service.js';

/** What the front end sees of a reward: not the user's openid. */
export type RewardView = Omit<Reward, 'openid'>;

const view = ({ openid: _openid, ...reward }: Reward): RewardView => reward;

/** Rewards paid out to users, and WeChat Pay's transfer result callback. */
@Controller()
export class RewardsController {
  constructor(private readonly rewards: RewardsService) {}

  /**
   * Grants the new-member reward (money out: staff only, or the app's own sign-up flow); the
   * answer carries the mini program's confirm parameters.
   */
  @Post('rewards')
  @UseGuards(StaffGuard)
  async grant(@Body() body: { openid?: string; userName?: string }): Promise<RewardView> {
    if (typeof body.openid !== 'string' || body.openid === '') {
      throw new BadRequestException('openid is required: the user the reward is paid to');
    }
    return view(await this.rewards.grant(body.openid, body.userName));
  }

  /** Re-sends an UNCLEAR reward with its same out_bill_no (never a new one). */
  @Post('rewards/:id/retry')
  @UseGuards(StaffGuard)
  async retry(@Param('id') id: string): Promise<RewardView> {
    return view(await this.rewards.retry(id));
  }

  @Get('rewards/:id')
  get(@Param('id') id: string): RewardView {
    return view(this.rewards.get(id));
  }

  @Post('rewards/:id/cancel')
  @UseGuards(StaffGuard)
  async cancel(@Param('id') id: string): Promise<RewardView> {
    return view(await this.rewards.cancel(id));
  }

  @Post('wechatpay/transfer-notify')
  @WechatNotify({ events: ['MCHTRANSFER.BILL.FINISHED'] })
  finished(@WechatPayload() bill: TransferBillNotification): void {
    this.rewards.finished(bill);
  }
}
