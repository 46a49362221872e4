import { performance } from 'node:perf_hooks';

/**
 * Throughput of `ours` relative to `baseline`: both run in alternating blocks of `iterations`
 * calls (which side goes first alternates too), each pair of neighbouring blocks gives one
 * ratio, and the median of the pairs is returned. Neighbouring blocks see the same machine load, and the median ignores the pairs a
 * noisy neighbour disturbed.
 */
export async function ratio(options: {
  ours: (i: number) => unknown;
  baseline: (i: number) => unknown;
  iterations: number;
  pairs?: number;
}): Promise<number> {
  const time = async (fn: (i: number) => unknown) => {
    const start = performance.now();
    for (let i = 0; i < options.iterations; i++) await fn(i);
    return performance.now() - start;
  };
  await time(options.baseline); // warm-up: JIT and caches
  await time(options.ours);
  const ratios: number[] = [];
  for (let pair = 0; pair < (options.pairs ?? 60); pair++) {
    // Alternating which block goes first, so neither side always inherits the other's garbage.
    let baseline: number;
    let ours: number;
    if (pair % 2 === 0) {
      baseline = await time(options.baseline);
      ours = await time(options.ours);
    } else {
      ours = await time(options.ours);
      baseline = await time(options.baseline);
    }
    ratios.push(baseline / ours);
  }
  ratios.sort((a, b) => a - b);
  return ratios[Math.floor(ratios.length / 2)]!;
}

/** Prints one result line: `bench: <name> ratio=<x>` (or another measure). */
export function report(name: string, measures: Record<string, number | string>): void {
  const text = Object.entries(measures)
    .map(([key, value]) => `${key}=${typeof value === 'number' ? Number(value.toFixed(3)) : value}`)
    .join(' ');
  console.log(`bench: ${name} ${text}`);
}
