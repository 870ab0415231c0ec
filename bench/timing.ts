/** Latency helpers of the API benchmarks (bench/indexer.ts, bench/indexer-node.ts). */

/** The 95th percentile of `samples`, ms to one decimal. */
export function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] * 10) / 10;
}

/** GETs each path of `base` in turn (each must answer 200 with JSON); resolves with the ms of each. */
export async function timeGets(base: string, paths: string[]): Promise<number[]> {
  const out: number[] = [];
  for (const p of paths) {
    const t = performance.now();
    const res = await fetch(base + p);
    if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}: ${await res.text()}`);
    await res.json();
    out.push(performance.now() - t);
  }
  return out;
}

/** The paths of `count` consecutive pages of model `model`'s payments (100 a page), each after the
 * previous page's `next` cursor, walked once so that each path can then be timed on its own. */
export async function paymentPagePaths(base: string, model: number, count: number): Promise<string[]> {
  const pages: string[] = [];
  let next: string | null = null;
  for (let i = 0; i < count; i++) {
    pages.push(`/payments?model=${model}&limit=100${next ? `&after=${next}` : ""}`);
    const body = (await (await fetch(`${base}${pages.at(-1)}`)).json()) as { next: string | null };
    next = body.next;
  }
  return pages;
}
