/**
 * How the attribution engine reports progress on long runs without knowing where it is shown:
 * the caller passes a `reporter` (the command line passes the terminal bar of src/cli/progress.ts);
 * without one, or with `quiet`, the engine reports nothing.
 */

/** One phase of work with a known total. */
export interface ProgressReporter {
  /** Marks `amount` more units done (default 1). */
  tick(amount?: number): void;
  /** Completes the phase. */
  done(): void;
}

/** Starts the reporting of a phase of `total` units named `label`. */
export type ProgressFactory = (label: string, total: number) => ProgressReporter;

/** Whether and where the engine reports progress. */
export interface ProgressOptions {
  /** Report nothing (default false). */
  quiet?: boolean;
  /** Where phases are reported; none: nothing is reported. */
  reporter?: ProgressFactory;
}

const SILENT: ProgressReporter = { tick: () => undefined, done: () => undefined };

/** The reporter of one phase: the caller's, or a silent one when quiet or none was given. */
export function startProgress(label: string, total: number, options: ProgressOptions = {}): ProgressReporter {
  if (options.quiet === true || options.reporter === undefined) return SILENT;
  return options.reporter(label, total);
}
