import { IsIn, IsString, Length, Matches, ValidateIf } from 'class-validator';

/**
 * Where staff send a refund WeChat Pay could not return (REFUND_ABNORMAL): the payer's debit
 * card (asked from the payer) or the merchant's own bank account, to pay the payer from there.
 */
export class ApplyAbnormalRefundDto {
  @IsIn(['USER_BANK_CARD', 'MERCHANT_BANK_CARD'])
  type!: 'USER_BANK_CARD' | 'MERCHANT_BANK_CARD';

  /** WeChat Pay's bank type code of the payer's debit card, e.g. ICBC_DEBIT. */
  @ValidateIf((dto: ApplyAbnormalRefundDto) => dto.type === 'USER_BANK_CARD')
  @IsString()
  @Length(1, 16)
  bankType?: string;

  @ValidateIf((dto: ApplyAbnormalRefundDto) => dto.type === 'USER_BANK_CARD')
  @Matches(/^\d{8,30}$/, { message: 'bankAccount must be the card number, digits only' })
  bankAccount?: string;

  @ValidateIf((dto: ApplyAbnormalRefundDto) => dto.type === 'USER_BANK_CARD')
  @IsString()
  @Length(1, 128)
  realName?: string;
}
