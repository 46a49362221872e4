import { Controller, Post } from '@nestjs/common';
import { type ComplaintNotification, WechatNotify, WechatPayload } from 'nestjs-wechatpay';
import { ComplaintInbox } from './complaint-inbox.js';

/**
 * Where WeChat Pay sends `COMPLAINT.*` notifications: the URL staff register once from the
 * complaints page. Each event is recorded once; staff answer from the page.
 */
@Controller('wechatpay')
export class ComplaintNotificationsController {
  constructor(private readonly inbox: ComplaintInbox) {}

  @Post('complaints')
  @WechatNotify({ events: ['COMPLAINT.CREATE', 'COMPLAINT.STATE_CHANGE'] })
  received(@WechatPayload() complaint: ComplaintNotification): void {
    this.inbox.record(complaint.complaint_id, complaint.action_type);
  }
}
