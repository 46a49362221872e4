import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_COMMANDS } from '../../lib/cli/commands/index.js';

const root = join(import.meta.dirname, '../..');
const work = join(root, 'test/artifacts/readme');

/** Everything README snippets use without importing it, as a user's file would import it. */
const PRELUDE = `
import { Controller, Injectable, Module, Post, type CanActivate, type ExecutionContext, type INestApplication } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { ConfigModule } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Redis } from 'ioredis';
import {
  InjectWechatPay, isWechatNotifyHandler, RedisIdempotencyStore, useWechatPayRawBody, wechatPayConfig,
  WechatNotification, WechatNotify, WechatPayError, WechatPayModule, wechatPayOptionsFromEnv, WechatPayload, WechatPayService,
  receiveNotification, resolveWechatPayConfig, WechatPayClient, WechatPayNotifyGuard,
  type ProfitSharingNotification,
  type NotificationEnvelope, type RefundNotification, type TransactionNotification, type WechatPayOptions,
  type WechatPayOptionsFactory, type CombineTransactionNotification,
} from 'nestjs-wechatpay';
import { type TransferBillNotification, WechatPayTransferUnclearError } from 'nestjs-wechatpay';
import { WechatPaySimulator } from 'nestjs-wechatpay/testing';
import { MEDIA_UPLOADS, type ComplaintNotification } from 'nestjs-wechatpay';
import { formatReconciliationReport, type ReconciliationOrder, type ReconciliationSource } from 'nestjs-wechatpay';
import { BullmqReconciliationScheduler, type DailyReconciliationResult, WechatReconciliationReport, WechatReconciliationSource } from 'nestjs-wechatpay';
import { BullmqRecoveryScheduler, FileRecoveryStore, WechatRecoveryOutcome, type RecoveryOutcome } from 'nestjs-wechatpay';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Get } from '@nestjs/common';
import { HealthCheck, type HealthCheckResult, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { WechatPayHealthIndicator } from 'nestjs-wechatpay/health';
import { afterAll, beforeAll, expect, it } from 'vitest';
`;

/** Values snippets refer to that a real app defines elsewhere; declared only where a snippet does not define them. */
const AMBIENT: Record<string, string> = {
  wechatPay: 'declare const wechatPay: WechatPayService;',
  options: 'declare const options: WechatPayOptions;',
  appid: 'declare const appid: string;',
  AppModule: 'declare class AppModule {}',
  simulator: 'declare const simulator: WechatPaySimulator;',
  isSignedIn: 'declare function isSignedIn(context: ExecutionContext): boolean;',
  orders: 'declare const orders: OrdersService;',
  audit: 'declare const audit: { forgedNotification(): void };',
  OrdersService:
    'declare class OrdersService { markPaid(outTradeNo: string, total: number): Promise<void>; recordRefund(outRefundNo: string, status: string): Promise<void>; markClosed(outTradeNo: string): Promise<void>; }',
};

it('every TypeScript block of the README compiles against the package', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  expect(blocks.length).toBeGreaterThan(8);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  blocks.forEach((block, i) => {
    const body = block.replace(/^import [\s\S]*?from '[^']+';\n/gm, '');
    const ambient = Object.entries(AMBIENT)
      .filter(([name]) => !new RegExp(`(class|const|let|function) ${name}\\b`).test(body))
      .map(([, declaration]) => declaration);
    writeFileSync(
      join(work, `block-${i + 1}.ts`),
      `${PRELUDE}\n${ambient.join('\n')}\n// README block ${i + 1}\n${body}\nexport {};\n`,
    );
  });
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../../tsconfig.json',
      compilerOptions: {
        noEmit: true,
        noUnusedLocals: false,
        noUnusedParameters: false,
        rootDir: '../../..',
      },
      include: ['*.ts'],
      exclude: [],
    }),
  );
  try {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(work, 'tsconfig.json')], {
      cwd: root,
      encoding: 'utf8',
    });
  } catch (error) {
    throw new Error(
      `README code does not compile:\n${(error as { stdout?: string }).stdout ?? String(error)}`,
      { cause: error },
    );
  }
}, 120_000);

it('every shell block of the README runs scripts that exist and installs declared packages', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    name: string;
    scripts: Record<string, string>;
    peerDependencies: Record<string, string>;
  };
  const commands = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1]!.split('\n'))
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean)
    .flatMap((line) => line.split('&&').map((command) => command.trim()));
  // Only ts and bash blocks exist, and both kinds are checked here.
  const fences = [...readme.matchAll(/^```(\S*)$/gm)].map((m) => m[1]);
  expect(
    fences.filter((language, i) => i % 2 === 0 && language !== 'ts' && language !== 'bash'),
  ).toEqual([]);
  expect(commands).toContain('npm run demo');
  expect(commands).toContain('npm test');
  const problems = commands.flatMap((command): string[] => {
    const [tool, sub, ...rest] = command.split(/\s+/);
    if (command === 'npm ci' || command === 'npm test') return [];
    if (tool === 'npm' && sub === 'run') {
      return rest[0]! in manifest.scripts ? [] : [`no npm script "${rest[0]}": ${command}`];
    }
    if (tool === 'npm' && sub === 'install') {
      const known = new Set([manifest.name, ...Object.keys(manifest.peerDependencies)]);
      return rest
        .filter((name) => !name.startsWith('-') && !known.has(name))
        .map((name) => `undeclared ${name}: ${command}`);
    }
    if (tool === 'npx' && sub === manifest.name) {
      const [name, ...args] = rest;
      if (name === '--help') return [];
      const cli = CLI_COMMANDS.find((c) => c.name === name);
      if (!cli) return [`no CLI command "${name}": ${command}`];
      const known = new Set([...Object.keys(cli.options), 'help', 'json']);
      return args
        .filter((arg) => arg.startsWith('--'))
        .map((arg) => arg.slice(2).split('=')[0]!)
        .filter((option) => !known.has(option))
        .map((option) => `${name} has no --${option}: ${command}`);
    }
    if (tool === 'bash') {
      return existsSync(join(root, sub!)) ? [] : [`no file ${sub}: ${command}`];
    }
    return [`a README command this test does not know how to check: ${command}`];
  });
  expect(problems).toEqual([]);
});

describe('the README’s "Testing your own app" example, run as written', async () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = /^## Testing your own app\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
  const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  if (!example.includes('new WechatPaySimulator()') || !/^it\(/m.test(example)) {
    throw new Error('the Testing section no longer starts with a complete, runnable test');
  }
  const dir = join(root, 'test/artifacts/readme-testing');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'testing-your-own-app.ts');
  writeFileSync(file, example);
  // The example's beforeAll, it and afterAll join this suite: Vitest runs them like any test.
  await import(file);
});
