import { describe, expect, it } from 'vitest';
import { businessEventKey } from '../../../../lib/core/notify/business-key.js';

function event(eventType: string, payload: Record<string, unknown>, version: 'v3' | 'v2' = 'v3') {
  return {
    version,
    id: 'EV-1',
    envelope: {
      id: 'EV-1',
      create_time: '',
      event_type: eventType,
      resource_type: '',
      summary: '',
    },
    payload,
  };
}

describe('businessEventKey', () => {
  it('names a payment by merchant, out_trade_no and state, whatever the delivery id', () => {
    const paid = { mchid: '1900000109', out_trade_no: 'ORDER1', trade_state: 'SUCCESS' };
    const a = event('TRANSACTION.SUCCESS', paid);
    const b = { ...event('TRANSACTION.SUCCESS', paid), id: 'EV-2' };
    expect(businessEventKey('1900000109', a)).toBe('1900000109:trade:ORDER1:SUCCESS');
    expect(businessEventKey('1900000109', b)).toBe(businessEventKey('1900000109', a));
  });

  it('counts a queried REFUND state as the payment it was, so a query after a refund finds the paid event', () => {
    const refunded = event('TRANSACTION.SUCCESS', {
      out_trade_no: 'ORDER1',
      trade_state: 'REFUND',
    });
    expect(businessEventKey('1900000109', refunded)).toBe('1900000109:trade:ORDER1:SUCCESS');
  });

  it('puts the sub-merchant of partner mode in the key (v3 sub_mchid, v2 sub_mch_id)', () => {
    const v3 = event('TRANSACTION.SUCCESS', {
      sp_mchid: '1900000100',
      sub_mchid: '1900000109',
      out_trade_no: 'ORDER1',
      trade_state: 'SUCCESS',
    });
    const v2 = event(
      'TRANSACTION.SUCCESS',
      { sub_mch_id: '1900000109', out_trade_no: 'ORDER1', result_code: 'SUCCESS' },
      'v2',
    );
    expect(businessEventKey('1900000100', v3)).toBe('1900000100:1900000109:trade:ORDER1:SUCCESS');
    expect(businessEventKey('1900000100', v2)).toBe('1900000100:1900000109:trade:ORDER1:SUCCESS');
  });

  it('gives a v2 payment notification (result_code) and a v2 order query (trade_state) the same key', () => {
    const notified = event(
      'TRANSACTION.SUCCESS',
      { out_trade_no: 'O', result_code: 'SUCCESS' },
      'v2',
    );
    const queried = event(
      'TRANSACTION.SUCCESS',
      { out_trade_no: 'O', result_code: 'SUCCESS', trade_state: 'SUCCESS' },
      'v2',
    );
    const failed = event('TRANSACTION.FAIL', { out_trade_no: 'O', result_code: 'FAIL' }, 'v2');
    expect(businessEventKey('1', notified)).toBe('1:trade:O:SUCCESS');
    expect(businessEventKey('1', queried)).toBe('1:trade:O:SUCCESS');
    expect(businessEventKey('1', failed)).toBe('1:trade:O:FAIL');
  });

  it('names a refund by out_refund_no and status, not by its out_trade_no (v3 and v2)', () => {
    const refund = { out_trade_no: 'ORDER1', out_refund_no: 'R1', refund_status: 'SUCCESS' };
    expect(businessEventKey('1', event('REFUND.SUCCESS', refund))).toBe('1:refund:R1:SUCCESS');
    expect(
      businessEventKey('1', event('REFUND.CLOSED', { ...refund, refund_status: 'CLOSED' })),
    ).toBe('1:refund:R1:CLOSED');
    expect(businessEventKey('1', event('REFUND.SUCCESS', refund, 'v2'))).toBe(
      '1:refund:R1:SUCCESS',
    );
  });

  it('names a combine payment by combine_out_trade_no and the event state', () => {
    const combine = {
      combine_mchid: '1',
      combine_out_trade_no: 'C1',
      sub_orders: [{ out_trade_no: 'S1', trade_state: 'SUCCESS' }],
    };
    expect(businessEventKey('1', event('TRANSACTION.SUCCESS', combine))).toBe(
      '1:combine:C1:SUCCESS',
    );
  });

  it('names a transfer by out_bill_no and state', () => {
    const bill = { mch_id: '1', out_bill_no: 'B1', transfer_bill_no: 'T1', state: 'SUCCESS' };
    expect(businessEventKey('1', event('MCHTRANSFER.BILL.FINISHED', bill))).toBe(
      '1:transfer:B1:SUCCESS',
    );
    expect(
      businessEventKey('1', event('MCHTRANSFER.BILL.FINISHED', { ...bill, state: 'FAIL' })),
    ).toBe('1:transfer:B1:FAIL');
  });

  it('names a profit-sharing movement by out_order_no, receiver and event, so a split and its return differ', () => {
    const split = {
      sp_mchid: '1',
      sub_mchid: '2',
      transaction_id: 'T',
      out_order_no: 'P1',
      receiver: { type: 'MERCHANT_ID', account: '3', amount: 1, description: '' },
    };
    expect(businessEventKey('1', event('PROFITSHARING.SUCCESS', split))).toBe(
      '1:2:profitsharing:P1:MERCHANT_ID:3:PROFITSHARING.SUCCESS',
    );
    expect(businessEventKey('1', event('PROFITSHARING.RETURN', split))).toBe(
      '1:2:profitsharing:P1:MERCHANT_ID:3:PROFITSHARING.RETURN',
    );
  });

  it('keeps the delivery id for events that name no business object (complaints repeat their actions)', () => {
    const complaint = { complaint_id: 'C', action_type: 'USER_RESPONSE' };
    expect(businessEventKey('1', event('COMPLAINT.STATE_CHANGE', complaint))).toBe('1:v3:EV-1');
  });
});
