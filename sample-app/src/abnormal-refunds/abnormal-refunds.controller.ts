import { Body, Controller, Param, Post, UseGuards, ValidationPipe } from '@nestjs/common';
import { StaffGuard } from '../orders/staff.guard.js';
import { ApplyAbnormalRefundDto } from './abnormal-refund.dto.js';
import { AbnormalRefundsService } from './abnormal-refunds.service.js';

/** Staff only: where a REFUND_ABNORMAL order's money goes instead. */
@Controller('orders')
export class AbnormalRefundsController {
  constructor(private readonly abnormalRefunds: AbnormalRefundsService) {}

  @Post(':id/abnormal-refund')
  @UseGuards(StaffGuard)
  apply(
    @Param('id') id: string,
    @Body(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }))
    body: ApplyAbnormalRefundDto,
  ) {
    return this.abnormalRefunds.apply(id, body);
  }
}
