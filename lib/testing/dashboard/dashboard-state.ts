import type { SimulatorFault, SimulatorListener } from '../faults.js';
import type { DashboardDeps } from './dashboard.js';

/** Longest body (sent or answered) the state shows per delivery; the rest is cut. */
const MAX_BODY_CHARS = 4_000;
/** How many of the latest deliveries and requests the state lists. */
const MAX_LOG_ENTRIES = 200;

/**
 * What `GET /_simulator/api/state` answers: everything the dashboard shows. It never holds a
 * secret: merchants appear by their public numbers only (no private key, APIv3 key or API v2 key)
 * and transfers without the names the simulator decrypted.
 */
export interface DashboardState {
  simulator: {
    url: string;
    backupUrl?: string;
    verification: string;
    signingWith: 'certificate' | 'publicKey';
    publicKeyId: string;
    /** Platform certificates, oldest first; the last one signs. */
    certificates: { serial: string; notBefore: string; notAfter: string }[];
  };
  merchants: { mchid: string; appid: string; serialNo: string }[];
  orders: DashboardOrder[];
  refunds: DashboardRefund[];
  transfers: DashboardTransfer[];
  deliveries: DashboardDelivery[];
  requests: { listener: SimulatorListener; method: string; path: string; status: number }[];
  faults: {
    pending: { fault: SimulatorFault; remaining: number; listener: SimulatorListener | 'any' }[];
    /** Delivery attempts still to be dropped. */
    dropNotifications: number;
  };
}

/** An order as the dashboard lists it. */
export interface DashboardOrder {
  outTradeNo: string;
  mchid: string;
  subMchid?: string;
  appid: string;
  channel: string;
  apiVersion: 'v2' | 'v3';
  description: string;
  total: number;
  currency: string;
  state: string;
  refunded: number;
  createdAt: string;
  successTime?: string;
  /** The combine order (合单) it belongs to: paying it pays the whole combine order. */
  combineOutTradeNo?: string;
}

/** A refund as the dashboard lists it. */
export interface DashboardRefund {
  outRefundNo: string;
  outTradeNo: string;
  refund: number;
  total: number;
  status: string;
  reason?: string;
  createdAt: string;
  successTime?: string;
}

/** A transfer (商家转账) as the dashboard lists it, without the decrypted name. */
export interface DashboardTransfer {
  outBillNo: string;
  transferBillNo: string;
  mchid: string;
  subMchid?: string;
  amount: number;
  remark: string;
  state: string;
  failReason?: string;
  createdAt: string;
  updatedAt: string;
}

/** One notification delivery attempt. */
export interface DashboardDelivery {
  id: string;
  eventType: string;
  url: string;
  attempt: number;
  status?: number;
  error?: string;
  requestBody: string;
  responseBody: string;
  at: string;
}

const cut = (text: string) =>
  text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}… (${text.length} chars)` : text;

/** The simulator's state for the dashboard, newest log entries last. */
export function dashboardState(deps: DashboardDeps): DashboardState {
  const { products, platformKeys, notifier } = deps;
  const combineOf = new Map<object, string>();
  for (const combine of products.combine.combines.all())
    for (const order of combine.subOrders) combineOf.set(order, combine.combineOutTradeNo);
  return {
    simulator: {
      url: deps.url('primary'),
      backupUrl: deps.hasListener('backup') ? deps.url('backup') : undefined,
      verification: platformKeys.verification,
      signingWith: platformKeys.signingWith,
      publicKeyId: platformKeys.publicKeyId,
      certificates: platformKeys.certificateList().map((c) => ({
        serial: c.serial,
        notBefore: c.notBefore.toISOString(),
        notAfter: c.notAfter.toISOString(),
      })),
    },
    merchants: [...deps.merchants.values()].map((m) => ({
      mchid: m.mchid,
      appid: m.appid,
      serialNo: m.serialNo,
    })),
    orders: products.payments.orders.all().map((o) => ({
      outTradeNo: o.outTradeNo,
      mchid: o.mchid,
      subMchid: o.subMchid,
      appid: o.appid,
      channel: o.channel,
      apiVersion: o.apiVersion ?? 'v3',
      description: o.description,
      total: o.total,
      currency: o.currency,
      state: o.state,
      refunded: o.refunded,
      createdAt: o.createdAt.toISOString(),
      successTime: o.successTime?.toISOString(),
      combineOutTradeNo: combineOf.get(o),
    })),
    refunds: products.refunds.refunds.all().map((r) => ({
      outRefundNo: r.outRefundNo,
      outTradeNo: r.order.outTradeNo,
      refund: r.refund,
      total: r.order.total,
      status: r.status,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
      successTime: r.successTime?.toISOString(),
    })),
    transfers: products.transfers.transfers.all().map((t) => ({
      outBillNo: t.outBillNo,
      transferBillNo: t.transferBillNo,
      mchid: t.mchid,
      subMchid: t.subMchid,
      amount: t.amount,
      remark: t.remark,
      state: t.state,
      failReason: t.failReason,
      createdAt: t.createdAt.toISOString(),
      updatedAt: t.updatedAt.toISOString(),
    })),
    deliveries: notifier.deliveries.slice(-MAX_LOG_ENTRIES).map((d) => ({
      id: d.id,
      eventType: d.eventType,
      url: d.url,
      attempt: d.attempt,
      status: d.status,
      error: d.error,
      requestBody: cut(d.requestBody),
      responseBody: cut(d.responseBody),
      at: d.at.toISOString(),
    })),
    requests: deps.requests.slice(-MAX_LOG_ENTRIES).map((r) => ({
      listener: r.listener,
      method: r.method,
      path: r.path,
      status: r.status,
    })),
    faults: {
      pending: deps.faults.list().map((f) => ({ ...f })),
      dropNotifications: notifier.pendingDrops,
    },
  };
}
