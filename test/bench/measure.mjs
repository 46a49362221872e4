// Shared by the benchmarks: interleaved rounds, so both sides see the same machine load, and
// the best round of each, which is the least disturbed by other work.
import { performance } from 'node:perf_hooks';

/**
 * Runs `ours` and `baseline` in alternating rounds of `iterations` calls and returns
 * throughput(ours) / throughput(baseline).
 */
export async function ratio({ ours, baseline, iterations, rounds = 7 }) {
  const best = { ours: Infinity, baseline: Infinity };
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of [
      ['baseline', baseline],
      ['ours', ours],
    ]) {
      const start = performance.now();
      for (let i = 0; i < iterations; i++) await fn(i);
      best[name] = Math.min(best[name], performance.now() - start);
    }
  }
  return best.baseline / best.ours;
}

/** Prints `bench: <name> ratio=<x>` and remembers whether it met its floor. */
export function report(name, value, floor, failures) {
  console.log(`bench: ${name} ratio=${value.toFixed(3)}`);
  if (value < floor) failures.push(`${name}: ratio ${value.toFixed(3)} is below ${floor}`);
}
