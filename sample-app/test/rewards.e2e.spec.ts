import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RewardStatus } from '../src/rewards/reward.repository.js';
import type { RewardView as Reward } from '../src/rewards/rewards.controller.js';
import { DEMO_OPENID as OPENID, rewardDemo } from '../src/rewards/reward-demo.js';
import { type SampleApp, startSampleApp } from './sample-app.js';

describe.each(['express', 'fastify'] as const)('rewards in the sample app on %s', (adapter) => {
  let sample: SampleApp;
  beforeAll(async () => {
    sample = await startSampleApp(adapter, { giftcards: false });
  });
  afterAll(() => sample.close());

  const until = async (id: string, status: RewardStatus) => {
    for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
      const reward = await sample.call<Reward>('GET', `/rewards/${id}`);
      if (reward.status === status) return reward;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`reward ${id} never became ${status}`);
  };

  it('a reward waits for the user, who confirms it through the checkout page; paid out once', async () => {
    const reward = await sample.call<Reward>('POST', '/rewards', {
      openid: OPENID,
      userName: '李四',
    });
    expect(reward.status).toBe('WAITING_USER');
    expect(reward).not.toHaveProperty('openid');
    const held = sample.simulator.transferBills().find((t) => t.outBillNo === reward.id);
    expect(held?.userName).toBe('李四');
    expect(reward.confirmParams).toEqual({
      mchId: sample.simulator.merchant.mchid,
      appId: sample.simulator.merchant.options.appid,
      package: held?.packageInfo,
    });

    await sample.call('POST', `/simulator/transfers/${reward.id}/confirm`);
    const paid = await until(reward.id, 'PAID_OUT');
    expect(paid.history).toEqual(['CREATED', 'WAITING_USER', 'PAID_OUT']);
    expect(paid.confirmParams).toBeUndefined();
    // Confirming twice is refused: the user cannot take the reward again.
    const again = await sample.request('POST', `/simulator/transfers/${reward.id}/confirm`);
    expect(again.status).toBe(409);
  });

  it('a reward cancelled before the user confirms it ends CANCELLED', async () => {
    const reward = await sample.call<Reward>('POST', '/rewards', { openid: OPENID });
    await sample.call('POST', `/rewards/${reward.id}/cancel`);
    expect((await until(reward.id, 'CANCELLED')).history).toEqual([
      'CREATED',
      'WAITING_USER',
      'CANCELLED',
    ]);
  });

  it('an unclear create (500 SYSTEM_ERROR) is retried with the same out_bill_no: one transfer', async () => {
    sample.simulator.injectFault({ type: 'status', status: 500 }, { listener: 'any' });
    const reward = await sample.call<Reward>('POST', '/rewards', { openid: OPENID });
    expect(reward.history).toEqual(['CREATED', 'UNCLEAR', 'WAITING_USER']);
    expect(sample.simulator.transferBills().filter((t) => t.outBillNo === reward.id)).toHaveLength(
      1,
    );
  });

  it('twice unclear: the reward stays UNCLEAR, and staff re-send it with the same out_bill_no', async () => {
    sample.simulator.injectFault({ type: 'status', status: 500 }, { listener: 'any', count: 2 });
    const unclear = await sample.call<Reward>('POST', '/rewards', { openid: OPENID });
    expect(unclear.status).toBe('UNCLEAR');
    const id = unclear.id;
    const retried = await sample.call<Reward>('POST', `/rewards/${id}/retry`);
    expect(retried.history.at(-1)).toBe('WAITING_USER');
    expect(sample.simulator.transferBills().filter((t) => t.outBillNo === id)).toHaveLength(1);
    expect((await sample.request('POST', `/rewards/${id}/retry`)).status).toBe(409);
  });

  it('refuses a reward without the user it is paid to', async () => {
    expect((await sample.request('POST', '/rewards', {})).status).toBe(400);
  });

  it('the checkout page shows the reward panel, and the demo step runs', async () => {
    const page = await sample.request<string>('GET', '/');
    expect(page.body).toContain('Reward paid out to a user');
    const lines: string[] = [];
    await rewardDemo(sample.simulator, sample, {
      step: (text) => lines.push(text),
      show: (label, value) => lines.push(`${label} ${String(value)}`),
    });
    expect(lines.join('\n')).toMatch(/CREATED → WAITING_USER → PAID_OUT/);
  });
});
