import { WECHATPAY_ENV } from '../../core/config/env-names.js';
import { describeError } from '../../core/notify/lease-renewer.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CliIo } from '../cli-io.js';
import { type CliCommand, type CliValues, stringValue } from '../command.js';
import { CliUsageError } from '../usage-error.js';
import { SIMULATOR_CONSOLE_HELP, SimulatorConsole } from './simulator-console.js';
import { type SimulatorConfiguration, writeSimulatorFiles } from './simulator-files.js';

function portOf(values: CliValues, name: string): number | undefined {
  const text = stringValue(values, name);
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new CliUsageError(
      `--${name} must be a port number (0-65535; 0 picks a free one)`,
      'simulator',
    );
  }
  return port;
}

function refundDelayOf(values: CliValues): number | undefined {
  const text = stringValue(values, 'refund-after-ms') ?? '1000';
  if (text === 'never') return undefined;
  if (!/^\d+$/.test(text)) {
    throw new CliUsageError('--refund-after-ms must be milliseconds, or never', 'simulator');
  }
  return Number(text);
}

function textReport(config: SimulatorConfiguration, dashboardUrl: string | undefined): string {
  return [
    '# nestjs-wechatpay simulator: a local WeChat Pay on 127.0.0.1, for development only.',
    '# Point an app at it with these variables (also in the file below):',
    ...Object.entries(config.env).map(([name, value]) => `${name}=${value}`),
    `# ${join(config.keysDir, 'wechatpay.env')} holds the same variables.`,
    `# API v2 /secapi/* (client certificate): ${WECHATPAY_ENV.domain}=${config.https.url}, ${WECHATPAY_ENV.backupDomain}=false,`,
    `#   ${WECHATPAY_ENV.clientCertPath}=${config.https.clientCertPath}, and trust ${config.https.caPath}.`,
    ...(dashboardUrl ? [`# Dashboard: ${dashboardUrl}`] : []),
    '# Commands on standard input:',
    ...SIMULATOR_CONSOLE_HELP.split('\n').map((line) => `#   ${line}`),
    `# Ctrl-C (or kill -INT ${process.pid}) stops the simulator.`,
    '',
  ].join('\n');
}

/** `nestjs-wechatpay simulator`: WechatPaySimulator as a standalone server. */
export const SIMULATOR_COMMAND: CliCommand = {
  name: 'simulator',
  summary: 'run the WeChat Pay simulator as a local server and print its merchant configuration',
  usage:
    'simulator [--port <n>] [--https-port <n>] [--keys-dir <dir>] [--refund-after-ms <ms>|never] [--json]',
  help: `Starts WechatPaySimulator on 127.0.0.1 until Ctrl-C (SIGINT) or SIGTERM, keeping its orders
and refunds in memory meanwhile. Prints its merchant as WECHATPAY_* variables (API v3 and v2
over HTTP, with failover to a backup listener) and writes the merchant key, the client
certificate and the simulator's CA to a folder, so an app in any language can use it. With
--json, prints one JSON line per event instead ("started" with the configuration, then
the answers to console commands, then "stopped").
Console commands, one per line on standard input:
${SIMULATOR_CONSOLE_HELP.replace(/^/gm, '  ')}
  --port <n>            port of the API (default: a free port)
  --https-port <n>      port of the HTTPS listener for API v2 /secapi/* (default: a free port)
  --keys-dir <dir>      where to write the key files (default: a temporary folder, removed on exit)
  --refund-after-ms <ms> settle each refund this long after it is accepted, as WeChat Pay does
                        by itself; never: only with the refund console command (default 1000)`,
  options: {
    port: { type: 'string' },
    'https-port': { type: 'string' },
    'keys-dir': { type: 'string' },
    'refund-after-ms': { type: 'string' },
  },
  async run(values, io) {
    const ports = { primary: portOf(values, 'port'), secure: portOf(values, 'https-port') };
    const settleAfterMs = refundDelayOf(values);
    const keysDirOption = stringValue(values, 'keys-dir');
    // Loaded here: the other commands run in a production install without @peculiar/x509.
    const { WechatPaySimulator } = await import('../../testing/simulator.js');
    const simulator = new WechatPaySimulator({
      https: true,
      ports,
      refunds: settleAfterMs === undefined ? {} : { settleAfterMs },
    });
    try {
      await simulator.start();
    } catch (error) {
      await simulator.stop();
      const code = (error as NodeJS.ErrnoException).code;
      io.err(
        code === 'EADDRINUSE'
          ? 'error: a port given with --port or --https-port is in use; choose another, or leave it out for a free one\n'
          : `error: the simulator did not start: ${describeError(error)}\n`,
      );
      return 1;
    }
    const keysDir = keysDirOption
      ? resolve(io.cwd, keysDirOption)
      : mkdtempSync(join(tmpdir(), 'nestjs-wechatpay-simulator-'));
    const cleanUp = () => {
      if (!keysDirOption) rmSync(keysDir, { recursive: true, force: true });
    };
    let config: SimulatorConfiguration;
    try {
      config = writeSimulatorFiles(simulator, keysDir);
    } catch (error) {
      // Its listeners would keep the process alive after the error.
      await simulator.stop();
      cleanUp();
      throw new CliUsageError(
        `--keys-dir ${keysDir} cannot be written: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        'simulator',
      );
    }
    return serve(simulator, config, values, io, cleanUp);
  },
};

async function serve(
  simulator: import('../../testing/simulator.js').WechatPaySimulator,
  config: SimulatorConfiguration,
  values: CliValues,
  io: CliIo,
  cleanUp: () => void,
): Promise<number> {
  // The dashboard, when this simulator serves one.
  const dashboardUrl =
    'dashboardUrl' in simulator && typeof simulator.dashboardUrl === 'string'
      ? simulator.dashboardUrl
      : undefined;
  const json = values.json === true;
  const line = (value: Record<string, unknown>) => io.out(`${JSON.stringify(value)}\n`);
  io.out(
    json
      ? `${JSON.stringify({ event: 'started', pid: process.pid, ...config, dashboardUrl })}\n`
      : textReport(config, dashboardUrl),
  );
  const console = io.stdin
    ? new SimulatorConsole(
        io.stdin,
        simulator,
        (result) =>
          json ? line(result) : io.out(`# ${Object.values(result).map(String).join(' ')}\n`),
        (message) => io.err(`error: ${message}\n`),
      )
    : undefined;
  const signal = await io.stopRequested;
  console?.close();
  await simulator.stop();
  cleanUp();
  if (json) line({ event: 'stopped', signal });
  else io.err(`simulator stopped (${signal})\n`);
  return 0;
}
