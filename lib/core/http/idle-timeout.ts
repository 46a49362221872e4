import { Readable } from 'node:stream';

/** How {@link withIdleTimeout} reports the end of a body that did not arrive. */
export interface IdleTimeoutErrors {
  /** No chunk arrived for the allowed time. */
  idle: () => Error;
  /** The source failed, e.g. the connection was reset mid-body. */
  broken: (cause: unknown) => Error;
}

/**
 * `source`, failing with `errors.idle()` (and destroying `source`, which frees the socket) when
 * the next chunk takes longer than `ms` to arrive. Only waits the consumer asked for count: a
 * slow consumer applying backpressure never trips it. Errors of `source` are replaced by
 * `errors.broken(cause)`, so nothing of the request (headers, TLS options) reaches the consumer.
 */
export function withIdleTimeout(source: Readable, ms: number, errors: IdleTimeoutErrors): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    try {
      for (;;) {
        let timer: NodeJS.Timeout | undefined;
        const idle = new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(errors.idle()), ms);
        });
        const next = iterator.next().catch((cause: unknown) => {
          throw errors.broken(cause);
        });
        const result = await Promise.race([next, idle]).finally(() => clearTimeout(timer));
        if (result.done) return;
        yield result.value;
      }
    } finally {
      source.destroy();
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
