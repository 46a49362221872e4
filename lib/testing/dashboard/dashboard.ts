import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeError } from '../../core/notify/lease-renewer.js';
import type { FaultQueue, SimulatorListener } from '../faults.js';
import type { PlatformKeys } from '../keys/platform-keys.js';
import type { SimulatorMerchants } from '../merchants.js';
import type { SimulatorNotifier } from '../notifications/notifier.js';
import type { SimulatorProducts } from '../products/index.js';
import type { SimulatorRequestRecord } from '../simulator-options.js';
import { DASHBOARD_ACTIONS } from './dashboard-actions.js';
import {
  assertLocalRequest,
  DashboardHttpError,
  readJsonObject,
  sendAsset,
  sendJson,
} from './dashboard-http.js';
import { dashboardState } from './dashboard-state.js';
import { DASHBOARD_HTML, DASHBOARD_ICON } from './page/dashboard-html.js';
import { DASHBOARD_SCRIPT } from './page/dashboard-script.js';
import { DASHBOARD_STYLE } from './page/dashboard-style.js';

/** Where the dashboard lives on the simulator's primary listener. */
export const DASHBOARD_PATH = '/_simulator/';

/** The parts of the simulator the dashboard reads and drives. */
export interface DashboardDeps {
  products: Pick<SimulatorProducts, 'payments' | 'refunds' | 'transfers' | 'combine'>;
  merchants: SimulatorMerchants;
  platformKeys: PlatformKeys;
  notifier: SimulatorNotifier;
  faults: FaultQueue;
  requests: readonly SimulatorRequestRecord[];
  url: (listener: SimulatorListener) => string;
  hasListener: (listener: SimulatorListener) => boolean;
}

const ASSETS: Readonly<Record<string, { type: string; body: string }>> = {
  '': { type: 'text/html; charset=utf-8', body: DASHBOARD_HTML },
  'dashboard.js': { type: 'text/javascript; charset=utf-8', body: DASHBOARD_SCRIPT },
  'dashboard.css': { type: 'text/css; charset=utf-8', body: DASHBOARD_STYLE },
  'favicon.svg': { type: 'image/svg+xml', body: DASHBOARD_ICON },
};

/**
 * The simulator's dashboard: a page at `/_simulator/` and its JSON API at `/_simulator/api/`.
 * Its requests are not WeChat Pay traffic: they are neither recorded in `simulator.requests`
 * nor spoiled by injected faults.
 */
export class SimulatorDashboard {
  constructor(private readonly deps: DashboardDeps) {}

  /** Whether `req` is for the dashboard rather than for the simulated WeChat Pay. */
  handles(req: IncomingMessage): boolean {
    const path = (req.url ?? '/').split('?')[0]!;
    return path === '/_simulator' || path.startsWith(DASHBOARD_PATH);
  }

  /** Answers a dashboard request. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      assertLocalRequest(req);
      const path = (req.url ?? '/').split('?')[0]!;
      if (path === '/_simulator') {
        res.writeHead(308, { Location: DASHBOARD_PATH }).end();
        return;
      }
      const rest = path.slice(DASHBOARD_PATH.length);
      if (rest.startsWith('api/')) await this.api(req, res, rest.slice('api/'.length));
      else this.asset(req, res, rest);
    } catch (error) {
      if (res.headersSent) return;
      if (error instanceof DashboardHttpError)
        sendJson(res, error.status, { error: error.message });
      else sendJson(res, 500, { error: describeError(error) });
    }
  }

  private asset(req: IncomingMessage, res: ServerResponse, name: string): void {
    const asset = ASSETS[name];
    if (!asset) throw new DashboardHttpError(404, `no dashboard file ${name}`);
    allowMethods(req, ['GET', 'HEAD']);
    sendAsset(res, asset.type, asset.body);
  }

  private async api(req: IncomingMessage, res: ServerResponse, route: string): Promise<void> {
    if (route === 'state') {
      allowMethods(req, ['GET']);
      sendJson(res, 200, dashboardState(this.deps));
      return;
    }
    const [collection, id, verb, ...extra] = route.split('/');
    const key = verb === undefined ? `${collection}/${id}` : `${collection}/:id/${verb}`;
    const action = extra.length ? undefined : DASHBOARD_ACTIONS[key];
    if (!action || (verb !== undefined && !id))
      throw new DashboardHttpError(404, `no dashboard API ${route}`);
    allowMethods(req, ['POST']);
    const body = await readJsonObject(req);
    sendJson(res, 200, await action(this.deps, body, verb === undefined ? '' : decodeId(id!)));
  }
}

function allowMethods(req: IncomingMessage, methods: string[]): void {
  if (!methods.includes(req.method ?? 'GET')) {
    throw new DashboardHttpError(405, `use ${methods.join(' or ')}, not ${req.method}`);
  }
}

function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new DashboardHttpError(400, `${raw} is not a valid URL-encoded number`);
  }
}
