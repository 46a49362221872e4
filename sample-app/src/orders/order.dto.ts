import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { PRODUCTS } from '../catalog/catalog.js';

export class CreateOrderDto {
  @IsIn(PRODUCTS.map((product) => product.id), {
    message: `productId must be one of ${PRODUCTS.map((product) => product.id).join(', ')}`,
  })
  productId!: string;

  @IsOptional()
  @IsIn(['v3', 'v2'])
  api?: 'v3' | 'v2';
}

export class PayDto {
  /** The payer's openid: JSAPI only. */
  @IsOptional()
  @IsString()
  @Length(1, 128)
  openid?: string;
}
