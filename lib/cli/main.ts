#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { runCli } from './run-cli.js';

// `npx nestjs-wechatpay …`: see `nestjs-wechatpay --help`.
process.exitCode = await runCli(process.argv.slice(2), processIo());
