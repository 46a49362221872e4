// Runs autocannon on its own thread (and so its own core), so the load generator does not
// share the event loop of the app it measures. Each request takes the next prepared
// notification from the pool. Time is taken from the first request to the last answer:
// autocannon's own duration is rounded to its one-second sampling.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

const { url, path, pool, connections } = workerData;
let next = 0;
let answered = 0;
let lastAnswer = 0;
const start = performance.now();
const instance = autocannon({
  url,
  connections,
  amount: pool.length,
  requests: [
    {
      method: 'POST',
      path,
      setupRequest: (request) => {
        const notification = pool[next++ % pool.length];
        return { ...request, headers: notification.headers, body: notification.body };
      },
    },
  ],
});
instance.on('response', () => {
  answered += 1;
  lastAnswer = performance.now();
});
instance.on('done', (result) => {
  parentPort.postMessage({
    total: answered,
    seconds: (lastAnswer - start) / 1000,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  });
});
