import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SimulatorListener } from '../faults.js';
import type { SimulatorPki } from '../keys/platform-certificate.js';

/** Handles one request that arrived at one listener. */
export type ListenerHandler = (
  listener: SimulatorListener,
  req: IncomingMessage,
  res: ServerResponse,
) => void;

/** The simulator's HTTP(S) servers on 127.0.0.1, each on a free port. */
export class SimulatorListeners {
  private readonly servers = new Map<SimulatorListener, Server>();
  private readonly urls = new Map<SimulatorListener, string>();

  constructor(private readonly handler: ListenerHandler) {}

  /**
   * Starts `listener` on `port` (0: a free one); `secure` needs the PKI that issues its TLS
   * certificate.
   */
  async start(listener: SimulatorListener, pki?: SimulatorPki, port = 0): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => this.handler(listener, req, res);
    const server =
      listener === 'secure' && pki
        ? createHttpsServer(
            {
              key: pki.serverKeyPem,
              cert: pki.serverCertPem,
              ca: pki.caPem,
              requestCert: true,
              // Checked per endpoint, like WeChat Pay: only /secapi/* needs the certificate.
              rejectUnauthorized: false,
            },
            handler,
          )
        : createServer(handler);
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.servers.set(listener, server);
    const scheme = listener === 'secure' ? 'https' : 'http';
    this.urls.set(listener, `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  /** Stops every listener and drops every connection. */
  async stop(): Promise<void> {
    await Promise.all(
      [...this.servers.values()].map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
    this.servers.clear();
  }

  /** Whether `listener` was started. */
  has(listener: SimulatorListener): boolean {
    return this.urls.has(listener);
  }

  /** Base URL of a started listener. */
  url(listener: SimulatorListener): string {
    const url = this.urls.get(listener);
    if (!url)
      throw new Error(`simulator: the ${listener} listener is not running; call start() first`);
    return url;
  }
}
