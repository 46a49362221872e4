import { describe, expect, it } from 'vitest';
import { queriedState } from '../../../../lib/core/recovery/queried-state.js';
import type { RecoveryTask } from '../../../../lib/core/recovery/recovery.types.js';

const base = {
  version: 'v3',
  mchid: '1',
  createdAt: 0,
  expiresAt: 1,
  attempt: 0,
  dueAt: 0,
} as const;
const order: RecoveryTask = { ...base, id: '1:v3:O1', outTradeNo: 'O1' };
const combine: RecoveryTask = { ...base, id: '1:v3-combine:C1', kind: 'combine', outTradeNo: 'C1' };
const subs = (...states: string[]) => ({
  sub_orders: states.map((trade_state, i) => ({ out_trade_no: `S${i}`, trade_state })),
});

describe('queriedState', () => {
  it("an ordinary order's state is its trade_state, also for a task kept without a kind", () => {
    expect(queriedState(order, { trade_state: 'NOTPAY' })).toBe('NOTPAY');
    expect(queriedState({ ...order, kind: 'payment' }, { trade_state: 'SUCCESS' })).toBe('SUCCESS');
    expect(queriedState(order, {})).toBe('');
  });

  it('a combine order is paid when every sub-order was paid, refunded since or not', () => {
    expect(queriedState(combine, subs('SUCCESS', 'SUCCESS'))).toBe('SUCCESS');
    expect(queriedState(combine, subs('SUCCESS', 'REFUND'))).toBe('SUCCESS');
  });

  it('a combine order whose sub-orders agree has their state', () => {
    expect(queriedState(combine, subs('NOTPAY', 'NOTPAY'))).toBe('NOTPAY');
    expect(queriedState(combine, subs('CLOSED', 'CLOSED'))).toBe('CLOSED');
  });

  it('sub-orders that disagree are MIXED, naming each, never paid or closed', () => {
    expect(queriedState(combine, subs('SUCCESS', 'NOTPAY'))).toBe('MIXED(SUCCESS,NOTPAY)');
    expect(queriedState(combine, subs('CLOSED', 'NOTPAY'))).toBe('MIXED(CLOSED,NOTPAY)');
  });

  it('a combine answer without sub-orders or states is unknown, never paid', () => {
    expect(queriedState(combine, {})).toBe('');
    expect(queriedState(combine, { sub_orders: [] })).toBe('');
    expect(queriedState(combine, { sub_orders: [{ trade_state: 'SUCCESS' }, {}] })).toBe('');
    // A combine task's answer is never read as an ordinary order's.
    expect(queriedState(combine, { trade_state: 'SUCCESS' })).toBe('');
  });
});
