import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import { type TransferBillNotification, WechatNotify, WechatPayload } from 'nestjs-wechatpay';
import type { Reward } from './reward.repository.js';
import { RewardsService } from './rewards.service.js';

/** Rewards paid out to users, and WeChat Pay's transfer result callback. */
@Controller()
export class RewardsController {
  constructor(private readonly rewards: RewardsService) {}

  /** Grants the new-member reward; the answer carries the mini program's confirm parameters. */
  @Post('rewards')
  grant(@Body() body: { openid?: string; userName?: string }): Promise<Reward> {
    return this.rewards.grant(body.openid ?? 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', body.userName);
  }

  @Get('rewards/:id')
  get(@Param('id') id: string): Reward {
    return this.rewards.get(id);
  }

  @Post('rewards/:id/cancel')
  cancel(@Param('id') id: string): Promise<Reward> {
    return this.rewards.cancel(id);
  }

  @Post('wechatpay/transfer-notify')
  @WechatNotify({ events: ['MCHTRANSFER.BILL.FINISHED'] })
  finished(@WechatPayload() bill: TransferBillNotification): void {
    this.rewards.finished(bill);
  }
}
