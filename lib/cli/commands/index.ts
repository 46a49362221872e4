import type { CliCommand } from '../command.js';
import { BILL_COMMAND } from './bill.js';
import { CERTIFICATES_COMMAND } from './certificates.js';
import { SIMULATOR_COMMAND } from './simulator.js';
import { VERIFY_NOTIFICATION_COMMAND } from './verify-notification.js';

/** Every command of `nestjs-wechatpay`, in the order `--help` lists them. */
export const CLI_COMMANDS: readonly CliCommand[] = [
  CERTIFICATES_COMMAND,
  VERIFY_NOTIFICATION_COMMAND,
  BILL_COMMAND,
  SIMULATOR_COMMAND,
];
