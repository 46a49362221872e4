import type { Order, OrderStatus } from '../orders/order.repository.js';

/** The sample app's JSON routes, called over HTTP as its front end would (demo and tests). */
export interface AppClient {
  /** Calls the app; answers the status and the parsed JSON (or the text, or `undefined` if empty). */
  request: <T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ) => Promise<{ status: number; body: T }>;
  /** Calls the app and expects a 2xx answer. */
  call: <T = Order>(method: string, path: string, body?: unknown) => Promise<T>;
  /** Polls the order until it has this status (10 s at most). */
  until: (id: string, status: OrderStatus) => Promise<Order>;
}

export function appClient(url: string): AppClient {
  const request = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(url + path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text || undefined;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text (the page, the QR code, empty answers)
    }
    return { status: response.status, body: parsed as T };
  };
  const call = async <T>(method: string, path: string, body?: unknown) => {
    const answer = await request<T>(method, path, body);
    if (answer.status >= 300) {
      throw new Error(`${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  };
  const until = async (id: string, status: OrderStatus) => {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline;) {
      const order = await call<Order>('GET', `/orders/${id}`);
      if (order.status === status) return order;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`order ${id} never became ${status}`);
  };
  return { request, call, until };
}
