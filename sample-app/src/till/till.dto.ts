import { IsIn, IsOptional, Matches } from 'class-validator';
import { PRODUCTS } from '../catalog/catalog.js';
import { PAYER_BEHAVIOURS, type PayerBehaviour } from './till-simulator.js';

/** What the cashier sends: the product rung up and the code scanned from the payer's WeChat. */
export class ChargeDto {
  @IsIn(PRODUCTS.map((product) => product.id), {
    message: `productId must be one of ${PRODUCTS.map((product) => product.id).join(', ')}`,
  })
  productId!: string;

  /** The 18 digits the scanner read (WeChat Pay checks the rest). */
  @Matches(/^\d{18}$/, {
    message: "authCode must be the 18 digits scanned from the payer's WeChat",
  })
  authCode!: string;

  @IsOptional()
  @IsIn(['v3', 'v2'])
  api?: 'v3' | 'v2';
}

/** Demo only: how the simulated payer behaves when their code is scanned. */
export class PayerDto {
  @IsIn(PAYER_BEHAVIOURS, { message: `behaviour must be one of ${PAYER_BEHAVIOURS.join(', ')}` })
  behaviour!: PayerBehaviour;
}
