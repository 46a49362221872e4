import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { BillInfo } from '../../../core/products/bills/bills.types.js';
import { findOrThrow } from '../../find-or-throw.js';
import {
  notFound,
  ok,
  param,
  type SimulatorAnswer,
  type SimulatorRequest,
  type V3Route,
} from '../../v3/answers.js';
import { V2Failure } from '../../v2/answers.js';
import type { V2Route, V2RouteRequest } from '../../v2/route.js';
import type { OrderBook } from '../payments/orders.js';
import type { SimulatorProduct } from '../product.js';
import type { RefundBook } from '../refunds/refund-book.js';
import { type BillAlteration, buildBillFile, type TradeBillType } from './bill-file.js';

/**
 * Trade and fund-flow bills of the paid orders: API v3 applies for a download URL (with the
 * file's SHA-1) and serves the file unsigned; API v2 answers the file itself.
 */
export class BillsProduct implements SimulatorProduct {
  readonly v3Routes: V3Route[] = [
    [
      'GET',
      /^\/v3\/bill\/(tradebill|fundflowbill)$/,
      (r, m) => this.apply(r, m[1] === 'tradebill'),
    ],
    ['GET', /^\/v3\/billdownload\/file$/, (r) => this.download(r)],
  ];
  readonly v2Routes: Record<string, V2Route> = {
    '/pay/downloadbill': (r) => this.v2Bill(r, 'trade'),
    '/pay/downloadfundflow': (r) => this.v2Bill(r, 'fundflow'),
  };
  readonly v2CertificatePaths = ['/pay/downloadfundflow'];
  /** Files applied for, by download token. */
  private readonly files = new Map<string, { file: Buffer; gzip: boolean }>();
  /** How bills built from now on differ from the state (see {@link alter}). */
  private alterations: BillAlteration[] = [];

  constructor(
    private readonly orders: OrderBook,
    private readonly refunds: RefundBook,
  ) {}

  /**
   * Makes every bill built from now on differ from the state (trade and fund-flow bills, v3 and
   * v2), for reconciliation tests; {@link clearAlterations} goes back to bills that match.
   */
  alter(alteration: BillAlteration): void {
    this.alterations.push(alteration);
  }

  /** Bills match the state again. */
  clearAlterations(): void {
    this.alterations = [];
  }

  private apply(req: SimulatorRequest, trade: boolean): SimulatorAnswer {
    const date = req.url.searchParams.get('bill_date') ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw param('bill_date 格式错误');
    const gzip = req.url.searchParams.get('tar_type') === 'GZIP';
    const file = buildBillFile(
      this.orders,
      this.refunds,
      {
        mchid: req.mchid,
        subMchid: req.url.searchParams.get('sub_mchid') ?? undefined,
        date,
        kind: trade ? 'trade' : 'fundflow',
        billType: tradeBillType(req.url.searchParams.get('bill_type'), () =>
          param('bill_type 取值错误'),
        ),
      },
      this.alterations,
    );
    return ok(this.publish(req, file, gzip));
  }

  /**
   * Offers a bill file for download (other products' bills too, e.g. profit sharing): its
   * download URL and SHA-1, as the apply calls answer them.
   */
  publish(req: SimulatorRequest, file: Buffer, gzip: boolean): BillInfo {
    const token = randomBytes(12).toString('hex');
    this.files.set(token, { file, gzip });
    return {
      hash_type: 'SHA1',
      hash_value: createHash('sha1').update(file).digest('hex'),
      download_url: `${req.baseUrl}/v3/billdownload/file?token=${token}`,
    };
  }

  private download(req: SimulatorRequest): SimulatorAnswer {
    const bill = findOrThrow(
      this.files.get(req.url.searchParams.get('token') ?? ''),
      notFound('RESOURCE_NOT_EXISTS', '账单不存在或已过期'),
    );
    return { status: 200, file: bill.gzip ? gzipSync(bill.file) : bill.file };
  }

  private v2Bill(
    { fields: f, merchant, signType }: V2RouteRequest,
    kind: 'trade' | 'fundflow',
  ): { file: string } {
    if (kind === 'fundflow' && signType !== 'HMAC-SHA256')
      throw new V2Failure('SIGN_TYPE_ERROR', '资金账单仅支持HMAC-SHA256');
    const date = f.bill_date ?? '';
    if (!/^\d{8}$/.test(date)) throw new V2Failure('INVALID_BILL_DATE', 'bill_date格式错误');
    const file = buildBillFile(
      this.orders,
      this.refunds,
      {
        mchid: merchant.mchid,
        subMchid: f.sub_mch_id,
        date: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}`,
        kind,
        billType: tradeBillType(
          f.bill_type,
          () => new V2Failure('PARAM_ERROR', 'bill_type取值错误'),
        ),
      },
      this.alterations,
    );
    return { file: file.toString('utf8') };
  }
}

const TRADE_BILL_TYPES: readonly string[] = ['ALL', 'SUCCESS', 'REFUND'];

/** `bill_type` as asked (`ALL` when absent), or WeChat Pay's parameter error. */
function tradeBillType(value: string | null | undefined, refuse: () => Error): TradeBillType {
  if (value === null || value === undefined || value === '') return 'ALL';
  if (!TRADE_BILL_TYPES.includes(value)) throw refuse();
  return value as TradeBillType;
}
