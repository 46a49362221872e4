import type { ProfitSharingOrder } from '../../../core/products/profit-sharing/profit-sharing.types.js';
import { findOrThrow } from '../../find-or-throw.js';
import type { OutgoingNotification } from '../../notifications/notifier.js';
import type { NotificationTamper } from '../../tampering.js';
import { ok, param, type V3Route } from '../../v3/answers.js';
import type { BillsProduct } from '../bills/bills.js';
import type { OrderBook } from '../payments/orders.js';
import type { SimulatorContext, SimulatorProduct } from '../product.js';
import { profitSharingNotification } from './notifications.js';
import { profitSharingBillFile } from './profit-sharing-bill.js';
import { ProfitSharingBook, type SimulatedSplit, splitJson } from './profit-sharing-book.js';
import { ordersRoutes } from './orders-routes.js';
import { receiversRoutes } from './receivers-routes.js';
import { SensitiveNames } from '../../v3/sensitive-names.js';

/**
 * Profit sharing (分账) of orders placed with `settle_info.profit_sharing`: their paid amount
 * stays frozen until split to receivers added beforehand, or unfrozen. Splits are accepted as
 * PROCESSING and finish by a test (`finishProfitSharing`) or after
 * `profitSharing.finishAfterMs`; then each merchant receiver with a notify URL
 * (`setProfitSharingNotifyUrl`, the merchant platform setting) gets `PROFITSHARING.SUCCESS`.
 * Returns succeed at once and notify `PROFITSHARING.RETURN`.
 */
export class ProfitSharingProduct implements SimulatorProduct {
  readonly book = new ProfitSharingBook();
  readonly v3Routes: V3Route[];
  /** Real names (a merchant's full name, a person's name) that names sent are checked against. */
  private readonly realNames = new Map<string, string>();
  /** Where each merchant receiver wants its 分账动账通知. */
  private readonly notifyUrls = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly context: SimulatorContext,
    orders: OrderBook,
    bills: BillsProduct,
  ) {
    const names = new SensitiveNames(context.platformKeys, this.realNames);
    this.v3Routes = [
      ...receiversRoutes(this.book, names),
      ...ordersRoutes({
        orders,
        book: this.book,
        names,
        onReturned: (record) => {
          const url = this.notifyUrls.get(record.part.account);
          if (url) {
            this.context.notifications.send(() =>
              profitSharingNotification(this.context.notifications, url, {
                kind: 'return',
                record,
              }),
            );
          }
        },
      }),
      [
        'GET',
        /^\/v3\/profitsharing\/bills$/,
        (req) => {
          const date = req.url.searchParams.get('bill_date') ?? '';
          if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw param('bill_date 格式错误');
          const file = profitSharingBillFile(this.book.allSplits(), {
            mchid: req.mchid,
            subMchid: req.url.searchParams.get('sub_mchid') ?? undefined,
            date,
          });
          return ok(bills.publish(req, file, req.url.searchParams.get('tar_type') === 'GZIP'));
        },
      ],
    ];
    const finishAfterMs = context.options.profitSharing?.finishAfterMs;
    if (finishAfterMs !== undefined) {
      this.book.onAdded = (split) => this.finishLater(split, finishAfterMs);
    }
  }

  /** Names sent for `account` must be `name` (its real name, or a merchant's full name). */
  setRealName(account: string, name: string): void {
    this.realNames.set(account, name);
  }

  /** Where the merchant receiver `mchid` gets its 分账动账通知 (its merchant platform setting). */
  setNotifyUrl(mchid: string, url: string): void {
    this.notifyUrls.set(mchid, url);
  }

  /** Any split or unfreeze with this number, or an error that names it. */
  split(outOrderNo: string): SimulatedSplit {
    return findOrThrow(
      this.book.findAnySplit(outOrderNo),
      () => new Error(`simulator: no profit-sharing order ${outOrderNo}`),
    );
  }

  /**
   * PROCESSING → FINISHED, every part SUCCESS (or CLOSED for the accounts in `closed`, whose
   * money goes back to the merchant); merchant receivers with a notify URL are notified.
   */
  finish(outOrderNo: string, closed: readonly string[] = []): ProfitSharingOrder {
    const split = this.split(outOrderNo);
    if (split.state !== 'PROCESSING')
      throw new Error(`simulator: profit-sharing order ${outOrderNo} is already FINISHED`);
    split.state = 'FINISHED';
    for (const part of split.parts) {
      part.result = closed.includes(part.account) ? 'CLOSED' : 'SUCCESS';
      part.finishedAt = new Date();
      const url = this.notifyUrls.get(part.account);
      if (
        split.kind === 'split' &&
        part.result === 'SUCCESS' &&
        part.type === 'MERCHANT_ID' &&
        url
      ) {
        this.context.notifications.send(() => this.notification(outOrderNo, part.account));
      }
    }
    return splitJson(split);
  }

  /** The `PROFITSHARING.SUCCESS` notification of one receiver's part of a split. */
  notification(
    outOrderNo: string,
    account: string,
    tamper?: NotificationTamper,
  ): OutgoingNotification {
    const split = this.split(outOrderNo);
    const part = findOrThrow(
      split.parts.find((p) => p.account === account),
      () => new Error(`simulator: ${account} is no receiver of ${outOrderNo}`),
    );
    const url = findOrThrow(
      this.notifyUrls.get(account),
      () => new Error(`simulator: no profit-sharing notify URL set for ${account}`),
    );
    return profitSharingNotification(
      this.context.notifications,
      url,
      { kind: 'split', split, part },
      tamper,
    );
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private finishLater(split: SimulatedSplit, afterMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (split.state === 'PROCESSING') this.finish(split.outOrderNo);
    }, afterMs);
    timer.unref();
    this.timers.add(timer);
  }
}
