import { describe, expect, it } from 'vitest';
import {
  WechatPayApiError,
  WechatPayConfigError,
  WechatPayDecryptError,
  WechatPayError,
  WechatPayNetworkError,
  WechatPayNotificationError,
  WechatPaySignatureError,
  WechatPayStoreError,
  WechatPayValidationError,
} from '../../../lib/index.js';

const decision = (error: WechatPayError) => ({
  mayHaveTakenEffect: error.mayHaveTakenEffect,
  retrySafe: error.retrySafe,
});
const UNKNOWN = { mayHaveTakenEffect: true, retrySafe: true };
const FOR_GOOD = { mayHaveTakenEffect: false, retrySafe: false };

const api = (status: number, code: string) => new WechatPayApiError({ status, code, message: 'm' });

describe('every error says whether the call may have taken effect and may be sent again', () => {
  it('errors raised before anything was sent: nothing happened, the same request fails again', () => {
    expect(decision(new WechatPayValidationError('order', [{ field: 'x', message: 'y' }]))).toEqual(
      FOR_GOOD,
    );
    expect(decision(new WechatPayConfigError([{ field: 'mchid', message: 'y' }]))).toEqual(
      FOR_GOOD,
    );
    expect(decision(new WechatPayError('API v3 is not configured'))).toEqual(FOR_GOOD);
    expect(decision(new WechatPayDecryptError('tag mismatch'))).toEqual(FOR_GOOD);
  });

  it('errors of received notifications are not about a request sent to WeChat Pay', () => {
    expect(decision(new WechatPayNotificationError('malformed'))).toEqual(FOR_GOOD);
    expect(decision(new WechatPayStoreError('down', { operation: 'claim' }))).toEqual(FOR_GOOD);
  });

  it('an answer whose signature does not verify: the outcome is unknown, send the same request', () => {
    expect(decision(new WechatPaySignatureError('bad signature'))).toEqual(UNKNOWN);
  });

  it.each([
    [500, 'SYSTEM_ERROR'],
    [502, 'HTTP_502'],
    [429, 'FREQUENCY_LIMITED'],
    [403, 'FREQUENCY_LIMITED'],
    [200, 'SYSTEMERROR'],
    [200, 'FREQUENCY_LIMIT'],
    [400, 'BIZERR_NEED_RETRY'],
    [500, 'BANK_ERROR'],
    [200, 'BANKERROR'],
  ])('API answer %i %s asks for the same request again', (status, code) => {
    expect(decision(api(status, code))).toEqual(UNKNOWN);
  });

  it.each([
    [500, 'SYSTEM_ERROR'],
    [502, 'HTTP_502'],
    [429, 'FREQUENCY_LIMITED'],
    [200, 'SYSTEMERROR'],
    [200, 'BANKERROR'],
  ])(
    'API answer %i %s to a write WeChat Pay does not deduplicate: it may have taken effect, query first',
    (status, code) => {
      const error = new WechatPayApiError({ status, code, message: 'm', idempotent: false });
      expect(decision(error)).toEqual({ mayHaveTakenEffect: true, retrySafe: false });
      expect(
        decision(new WechatPayApiError({ status, code, message: 'm', idempotent: true })),
      ).toEqual(UNKNOWN);
    },
  );

  it.each([
    [400, 'PARAM_ERROR'],
    [403, 'ORDERPAID'],
    [200, 'AUTH_CODE_INVALID'],
  ])(
    'a refusal (%i %s) of a write WeChat Pay does not deduplicate is still a refusal',
    (status, code) => {
      const error = new WechatPayApiError({ status, code, message: 'm', idempotent: false });
      expect(decision(error)).toEqual(FOR_GOOD);
    },
  );

  it('USERPAYING is a payment under way whatever the request', () => {
    const error = new WechatPayApiError({
      status: 200,
      code: 'USERPAYING',
      message: 'm',
      idempotent: false,
    });
    expect(decision(error)).toEqual({ mayHaveTakenEffect: true, retrySafe: false });
  });

  it.each([
    [400, 'PARAM_ERROR'],
    [403, 'ORDERPAID'],
    [404, 'ORDER_NOT_EXIST'],
    [401, 'SIGN_ERROR'],
    [200, 'NOTENOUGH'],
    [200, 'FAIL'],
  ])('API answer %i %s is a refusal: nothing happened', (status, code) => {
    expect(decision(api(status, code))).toEqual(FOR_GOOD);
  });

  it.each([
    [202, 'USERPAYING'],
    [200, 'USERPAYING'],
  ])('API answer %i %s is a payment under way: it took effect, query it', (status, code) => {
    expect(decision(api(status, code))).toEqual({ mayHaveTakenEffect: true, retrySafe: false });
  });

  it('a network error may have taken effect unless told otherwise; retrySafe defaults to false', () => {
    expect(decision(new WechatPayNetworkError('reset', ['http://a']))).toEqual({
      mayHaveTakenEffect: true,
      retrySafe: false,
    });
    expect(
      decision(
        new WechatPayNetworkError('refused', ['http://a'], {
          mayHaveTakenEffect: false,
          retrySafe: true,
        }),
      ),
    ).toEqual({ mayHaveTakenEffect: false, retrySafe: true });
  });

  it('the flags never leak into the cause, and the cause is kept', () => {
    const cause = new Error('ECONNRESET');
    const error = new WechatPayNetworkError('reset', ['http://a'], { cause, retrySafe: true });
    expect(error.cause).toBe(cause);
    expect(Object.keys(error)).not.toContain('options');
    expect(new WechatPayError('x')).not.toHaveProperty('cause');
  });
});
