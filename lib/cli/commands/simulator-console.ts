import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { describeError } from '../../core/notify/lease-renewer.js';
import type { RefundStatus } from '../../core/products/refunds/refunds.types.js';
import type { WechatPaySimulator } from '../../testing/simulator.js';

/** What the standalone simulator's console understands, one command a line on standard input. */
export const SIMULATOR_CONSOLE_HELP = `pay <out_trade_no>                    the payer pays the order (its notification follows)
refund <out_refund_no> [SUCCESS|ABNORMAL|CLOSED]   settles a refund now (default SUCCESS)`;

const REFUND_OUTCOMES: readonly string[] = ['SUCCESS', 'ABNORMAL', 'CLOSED'];

/** Runs one console line against the simulator; returns what happened. */
function runLine(simulator: WechatPaySimulator, line: string): Record<string, unknown> {
  const [command, id, outcome] = line.trim().split(/\s+/);
  if (command === 'pay' && id) {
    const order = simulator.pay(id);
    return { event: 'paid', out_trade_no: id, trade_state: order.trade_state };
  }
  if (command === 'refund' && id && (!outcome || REFUND_OUTCOMES.includes(outcome))) {
    const status = (outcome ?? 'SUCCESS') as Exclude<RefundStatus, 'PROCESSING'>;
    const refund = simulator.completeRefund(id, status);
    return { event: 'refund', out_refund_no: id, status: refund.status };
  }
  throw new Error(`unknown command "${line.trim()}"; commands:\n${SIMULATOR_CONSOLE_HELP}`);
}

/**
 * Reads console commands from `input` until {@link close}: what the payer's phone (and WeChat
 * Pay's settlement) does, for people and scripts driving the standalone simulator.
 */
export class SimulatorConsole {
  private readonly lines;

  constructor(
    private readonly input: Readable,
    simulator: WechatPaySimulator,
    answer: (result: Record<string, unknown>) => void,
    fail: (message: string) => void,
  ) {
    this.lines = createInterface({ input, terminal: false });
    this.lines.on('line', (line) => {
      if (!line.trim()) return;
      try {
        answer(runLine(simulator, line));
      } catch (error) {
        fail(describeError(error));
      }
    });
  }

  /** Stops reading: standard input no longer keeps the process alive. */
  close(): void {
    this.lines.close();
    this.input.destroy();
  }
}
