import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Optional,
  UnauthorizedException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash, timingSafeEqual } from 'node:crypto';
import { WECHATPAY_SIMULATOR } from '../simulator/simulator.token.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Refunds and closing orders move money: staff only, with `Authorization: Bearer <STAFF_TOKEN>`.
 * Replace it with your own authentication. Against the simulator (demo, tests) anyone may, so
 * that the checkout page's refund button works.
 */
@Injectable()
export class StaffGuard implements CanActivate {
  private readonly token: Buffer | undefined;

  constructor(
    config: ConfigService,
    @Optional() @Inject(WECHATPAY_SIMULATOR) private readonly simulator?: object,
  ) {
    const token = config.get<string>('STAFF_TOKEN');
    this.token = token ? digest(token) : undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.simulator) return true;
    if (!this.token) {
      throw new ForbiddenException(
        'refunds and closing orders are staff actions: set STAFF_TOKEN and send "Authorization: Bearer <STAFF_TOKEN>"',
      );
    }
    const { headers } = context.switchToHttp().getRequest<{ headers: Record<string, unknown> }>();
    const authorization = typeof headers.authorization === 'string' ? headers.authorization : '';
    const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    // Compare digests: constant time, whatever the lengths.
    if (given === undefined || !timingSafeEqual(digest(given), this.token)) {
      throw new UnauthorizedException(
        'a staff token is required: Authorization: Bearer <STAFF_TOKEN>',
      );
    }
    return true;
  }
}
