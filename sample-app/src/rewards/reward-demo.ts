import type { WechatPaySimulator } from 'nestjs-wechatpay/testing';
import type { AppClient } from '../simulator/app-client.js';
import type { RewardStatus } from './reward.repository.js';
import type { RewardView as Reward } from './rewards.controller.js';

/** The demo's user: in a mini program, the openid of the signed-in user. */
export const DEMO_OPENID = 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o';

/** How the demo prints: a step heading, and a labelled value. */
export interface DemoOutput {
  step: (text: string) => void;
  show: (label: string, value: unknown) => void;
}

/**
 * `npm run demo`'s reward step: a reward paid out to a user with 商家转账, confirmed by the user
 * (the simulator plays them), notified once, and a second one cancelled before confirmation.
 */
export async function rewardDemo(
  simulator: WechatPaySimulator,
  { call }: Pick<AppClient, 'call'>,
  { step, show }: DemoOutput,
): Promise<void> {
  const until = async (id: string, status: RewardStatus) => {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      const reward = await call<Reward>('GET', `/rewards/${id}`);
      if (reward.status === status) return reward;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`reward ${id} never became ${status}`);
  };

  step('Grant the new-member reward: the app records it, then creates the transfer');
  const reward = await call<Reward>('POST', '/rewards', { openid: DEMO_OPENID, userName: '张三' });
  show('reward', `${reward.id} · ${reward.amount} fen · ${reward.status}`);
  // Never print the name itself: only that it travelled encrypted and arrived intact.
  const held = simulator.transferBills().find((t) => t.outBillNo === reward.id);
  show(
    'name',
    held?.userName === '张三' && held.encryptedUserName !== '张三'
      ? 'sent encrypted (RSA-OAEP, Wechatpay-Serial); WeChat Pay decrypted the name given'
      : 'NOT received as sent',
  );
  show('mini program', `wx.requestMerchantTransfer(${JSON.stringify(reward.confirmParams)})`);

  step('The user confirms in WeChat; MCHTRANSFER.BILL.FINISHED is verified and handled once');
  simulator.confirmTransfer(reward.id);
  const paid = await until(reward.id, 'PAID_OUT');
  show('history', paid.history.join(' → '));

  step('A second reward, cancelled before the user confirms it');
  const second = await call<Reward>('POST', '/rewards', { openid: DEMO_OPENID });
  await call<Reward>('POST', `/rewards/${second.id}/cancel`);
  show('history', (await until(second.id, 'CANCELLED')).history.join(' → '));
}
