import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
  StreamableFile,
  UseGuards,
  ValidationPipe,
} from '@nestjs/common';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { type Complaint, WechatPayService } from 'nestjs-wechatpay';
import { chinaDay } from '../china-day.js';
import { StaffGuard } from '../orders/staff.guard.js';
import { ComplaintInbox } from './complaint-inbox.js';
import { complaintsPage } from './complaints.page.js';

/** A staff answer to the payer, with an optional PNG or JPG (base64) as evidence. */
export class ComplaintAnswerDto {
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  content!: string;

  /** The image's bytes, base64. */
  @IsOptional()
  @IsString()
  imageBase64?: string;

  /** Its file name: .jpg, .png or .bmp. */
  @IsOptional()
  @IsString()
  imageName?: string;
}

const validate = new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true });

/** Shows the payer's number to staff as 139****5678: enough to recognise, not to copy. */
const masked = (phone: string | undefined) =>
  phone ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : undefined;

/**
 * The staff view of 消费者投诉: the last 30 days from WeChat Pay, one complaint with its history
 * and images, answering with an image, and marking it handled. Staff only (StaffGuard).
 */
@Controller('staff/complaints')
@UseGuards(StaffGuard)
export class ComplaintsController {
  constructor(
    private readonly wechatPay: WechatPayService,
    private readonly inbox: ComplaintInbox,
  ) {}

  /** Registers this app's notification route with WeChat Pay (or moves it here). */
  @Post('notification-url')
  async registerNotificationUrl() {
    const url = `${process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000'}/wechatpay/complaints`;
    const current = await this.wechatPay.complaints.queryNotificationUrl().catch(() => undefined);
    if (current?.url === url) return current;
    return current
      ? this.wechatPay.complaints.updateNotificationUrl({ url })
      : this.wechatPay.complaints.createNotificationUrl({ url });
  }

  /** The last 30 days of complaints, with what the notifications said. */
  @Get()
  async list() {
    const page = await this.wechatPay.complaints.list({
      begin_date: chinaDay(29),
      end_date: chinaDay(),
      limit: 50,
    });
    return (page.data ?? []).map((c) => ({
      ...this.summary(c),
      notified: this.inbox.get(c.complaint_id),
    }));
  }

  /** The same, as a page for people. */
  @Get('page')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async page() {
    return complaintsPage(await this.list());
  }

  /** One complaint: the payer's number masked, its negotiation history, its image count. */
  @Get(':id')
  async get(@Param('id') id: string) {
    const complaint = await this.wechatPay.complaints.detail(id, { decryptPayerPhone: true });
    const history = await this.wechatPay.complaints.negotiationHistory(id);
    return {
      ...this.summary(complaint),
      payerPhone: masked(complaint.payer_phone),
      history: (history.data ?? []).map((h) => ({
        at: h.operate_time,
        by: h.operator,
        type: h.operate_type,
        details: h.operate_details,
      })),
    };
  }

  /** The payer's n-th image, fetched from WeChat Pay with a signed request. */
  @Get(':id/images/:n')
  async image(@Param('id') id: string, @Param('n', ParseIntPipe) n: number) {
    const complaint = await this.wechatPay.complaints.detail(id);
    const url = this.imageUrls(complaint)[n];
    if (!url) throw new NotFoundException(`complaint ${id} has no image ${n}`);
    const { content, contentType } = await this.wechatPay.complaints.downloadImage(url);
    return new StreamableFile(content, { type: contentType ?? 'application/octet-stream' });
  }

  /** Answers the payer, with an image uploaded first if one is given. */
  @Post(':id/response')
  @HttpCode(204)
  async respond(@Param('id') id: string, @Body(validate) body: ComplaintAnswerDto) {
    const images: string[] = [];
    if (body.imageBase64) {
      const { media_id } = await this.wechatPay.complaints.uploadImage({
        filename: body.imageName ?? 'evidence.png',
        content: Buffer.from(body.imageBase64, 'base64'),
      });
      images.push(media_id);
    }
    await this.wechatPay.complaints.respond(id, {
      response_content: body.content,
      response_images: images.length ? images : undefined,
    });
  }

  /** Tells WeChat Pay the complaint is handled. */
  @Post(':id/complete')
  @HttpCode(204)
  async complete(@Param('id') id: string) {
    await this.wechatPay.complaints.complete(id);
  }

  private summary(c: Complaint) {
    return {
      complaintId: c.complaint_id,
      time: c.complaint_time,
      state: c.complaint_state,
      detail: c.complaint_detail,
      order: c.complaint_order_info?.[0]?.out_trade_no,
      refundAsked: c.apply_refund_amount,
      images: this.imageUrls(c).length,
    };
  }

  private imageUrls(c: Complaint): string[] {
    return c.complaint_media_list?.flatMap((m) => m.media_url) ?? [];
  }
}
