import { describeError } from '../../core/notify/lease-renewer.js';
import type { SimulatorFault, SimulatorListener } from '../faults.js';
import type { DashboardDeps } from './dashboard.js';
import { DashboardHttpError } from './dashboard-http.js';

/** One action of the dashboard API; `id` is the record named in the path, if the action has one. */
type Action = (deps: DashboardDeps, body: Record<string, unknown>, id: string) => unknown;

const LISTENERS: readonly (SimulatorListener | 'any')[] = ['primary', 'backup', 'secure', 'any'];
const REFUND_OUTCOMES = ['SUCCESS', 'ABNORMAL', 'CLOSED'] as const;
const WECHATPAY_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

const notFound = (what: string, id: string) => new DashboardHttpError(404, `no ${what} ${id}`);

/** A field that must be one of `allowed` if given. */
function oneOf<T extends string>(
  body: Record<string, unknown>,
  field: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const value = body[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new DashboardHttpError(400, `${field} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

/** A field that must be an integer within [min, max] if given. */
function integer(
  body: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
  fallback: number,
): number {
  const value = body[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new DashboardHttpError(400, `${field} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** Runs a test hook; its refusal (wrong state) becomes 409 with the hook's own explanation. */
function inState<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw new DashboardHttpError(409, describeError(error));
  }
}

/**
 * The actions, by path under `POST /_simulator/api/` (`:id` is an order, refund or transfer
 * number). Each reuses the test hook a test would call, so the dashboard does nothing a test cannot.
 */
export const DASHBOARD_ACTIONS: Readonly<Record<string, Action>> = {
  /** The payer pays an unpaid order (`simulator.pay`). */
  'orders/:id/pay': ({ products }, _body, id) => {
    if (!products.payments.orders.findAny(id)) throw notFound('order', id);
    const combine = products.combine.combines
      .all()
      .find((c) => c.subOrders.some((o) => o.outTradeNo === id));
    if (combine) {
      throw new DashboardHttpError(
        409,
        `order ${id} is part of combine order ${combine.combineOutTradeNo}: pay that one (combine-orders/${combine.combineOutTradeNo}/pay)`,
      );
    }
    return inState(() => products.payments.pay(id, {}));
  },
  /** The payer pays a combine order (合单) with one password (`simulator.payCombine`). */
  'combine-orders/:id/pay': ({ products }, _body, id) => {
    if (!products.combine.combines.findAny(id)) throw notFound('combine order', id);
    return inState(() => products.combine.pay(id, {}));
  },
  /** A PROCESSING refund settles as SUCCESS, ABNORMAL or CLOSED (`simulator.completeRefund`). */
  'refunds/:id/complete': ({ products }, body, id) => {
    const status = oneOf(body, 'status', REFUND_OUTCOMES, 'SUCCESS');
    if (!products.refunds.refunds.findAny(id)) throw notFound('refund', id);
    return inState(() => products.refunds.complete(id, status));
  },
  /** The user confirms a transfer in WeChat (`simulator.confirmTransfer`). */
  'transfers/:id/confirm': ({ products }, _body, id) => {
    if (!products.transfers.transfers.findAny(id)) throw notFound('transfer', id);
    return inState(() => products.transfers.confirm(id));
  },
  /**
   * The next `count` requests to `listener` fail: HTTP `status` with WeChat Pay's error `code`,
   * or (`kind: 'reset'`) their connection is reset (`simulator.injectFault`).
   */
  'faults/fail-next-request': ({ faults }, body) => {
    const kind = oneOf(body, 'kind', ['status', 'reset'] as const, 'status');
    const listener = oneOf(body, 'listener', LISTENERS, 'primary');
    const count = integer(body, 'count', 1, 100, 1);
    let fault: SimulatorFault;
    if (kind === 'reset') fault = { type: 'reset' };
    else {
      const code = body.code ?? 'SYSTEM_ERROR';
      if (typeof code !== 'string' || !WECHATPAY_CODE.test(code)) {
        throw new DashboardHttpError(400, 'code must be an error code such as SYSTEM_ERROR');
      }
      fault = { type: 'status', status: integer(body, 'status', 400, 599, 500), code };
    }
    faults.inject(fault, { count, listener });
    return { fault, count, listener };
  },
  /** The next `count` notification deliveries are lost (`simulator.dropNextNotifications`). */
  'faults/drop-next-notification': ({ notifier }, body) => {
    notifier.dropNext(integer(body, 'count', 1, 100, 1));
    return { dropNotifications: notifier.pendingDrops };
  },
  /** WeChat Pay issues a new platform certificate (`simulator.rotatePlatformCertificate`). */
  'platform-certificate/rotate': async ({ platformKeys }, body) => {
    const keepOld = body.keepOld ?? true;
    if (typeof keepOld !== 'boolean')
      throw new DashboardHttpError(400, 'keepOld must be a boolean');
    return { serial: await platformKeys.rotate(keepOld) };
  },
};
