/**
 * A small progress bar on stderr for long runs of the command line and the scripts (attribution,
 * batched submissions). It draws only when the stream is a TTY and `quiet` is not set, so logs,
 * CI and tests stay clean; redraws are throttled.
 */
import type { ProgressOptions, ProgressReporter } from "../attribution/progress.js";

export type { ProgressReporter } from "../attribution/progress.js";

/** Where and whether to draw. */
export interface TerminalProgressOptions {
  /** Never draw (default false). */
  quiet?: boolean;
  /** Stream to draw on (default `process.stderr`). Nothing is drawn unless `isTTY` is true. */
  stream?: NodeJS.WriteStream;
  /** Minimum milliseconds between redraws (default 100). */
  intervalMs?: number;
}

const BAR_WIDTH = 30;

/** Returns a reporter for a phase of `total` units named `label`. */
export function createProgress(
  label: string,
  total: number,
  options: TerminalProgressOptions = {},
): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  if (options.quiet === true || stream.isTTY !== true)
    return { tick: () => undefined, done: () => undefined };
  const intervalMs = options.intervalMs ?? 100;
  const started = Date.now();
  let current = 0;
  let lastDraw = 0;
  let finished = false;
  const draw = (): void => {
    const fraction = total > 0 ? Math.min(1, current / total) : 1;
    const filled = Math.round(fraction * BAR_WIDTH);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
    stream.write(`\r${label} [${bar}] ${(fraction * 100).toFixed(1)}% ${current}/${total} ${seconds}s`);
  };
  return {
    tick(amount = 1): void {
      if (finished) return;
      current += amount;
      const now = Date.now();
      if (now - lastDraw >= intervalMs) {
        lastDraw = now;
        draw();
      }
    },
    done(): void {
      if (finished) return;
      finished = true;
      current = Math.max(current, total);
      draw();
      stream.write("\n");
    },
  };
}

/** The engine's progress options drawing terminal bars (`quiet`: none). */
export function terminalProgress(options: TerminalProgressOptions = {}): ProgressOptions {
  return { quiet: options.quiet, reporter: (label, total) => createProgress(label, total, options) };
}
