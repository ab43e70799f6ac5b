/**
 * Runs a scenario's timeline against running clusters. One timer is pending at a time (the next step);
 * with `repeatEvery` the sequence restarts every period, forever. The clock is injectable so tests drive
 * it without sleeping (docs/architecture.md "Conventions" 7).
 */
import type { SimCluster } from '../cluster.ts';
import { applyStep } from './timeline-actions.ts';
import type { Scenario, TimelineStep } from './types.ts';

export interface TimelineClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface TimelineOptions {
  /** Called after each step (with the error when it could not apply); default: failures become process warnings. */
  readonly onStep?: (step: TimelineStep, error?: Error) => void;
  /** Wall clock for the timestamps written into objects. */
  readonly now?: () => number;
}

const realClock: TimelineClock = {
  setTimeout: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    // The clusters keep a process alive, not a pending scenario step.
    timer.unref();
    return timer;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

function report(step: TimelineStep, error?: Error): void {
  if (error !== undefined)
    process.emitWarning(
      `timeline step ${step.action} on ${step.cluster} at ${step.at} ms failed: ${error.message}`,
      'SimTimelineWarning',
    );
}

export function startTimeline(
  scenario: Scenario,
  clusters: ReadonlyMap<string, SimCluster>,
  clock: TimelineClock = realClock,
  options: TimelineOptions = {},
): { dispose(): void } {
  const steps = [...scenario.timeline].sort((a, b) => a.at - b.at);
  const period = scenario.repeatEvery;
  const onStep = options.onStep ?? report;
  const now = options.now ?? Date.now;
  let cycle = 0;
  let index = 0;
  let elapsed = 0;
  let handle: unknown;
  let disposed = false;

  const occurrence = (): number => cycle * (period ?? 0) + steps[index]!.at;

  const run = (step: TimelineStep): void => {
    const cluster = clusters.get(step.cluster);
    try {
      if (cluster === undefined) throw new Error(`cluster ${step.cluster} is not running`);
      applyStep(step, cluster.objects, now());
      onStep(step);
    } catch (error) {
      onStep(step, error instanceof Error ? error : new Error(String(error)));
    }
  };

  const schedule = (): void => {
    if (index >= steps.length) {
      if (period === undefined) return;
      cycle++;
      index = 0;
    }
    const at = occurrence();
    handle = clock.setTimeout(() => fire(at), Math.max(0, at - elapsed));
  };

  const fire = (at: number): void => {
    handle = undefined;
    if (disposed) return;
    elapsed = at;
    while (index < steps.length && occurrence() === at) {
      run(steps[index]!);
      index++;
    }
    schedule();
  };

  if (steps.length > 0) schedule();
  return {
    dispose: () => {
      disposed = true;
      if (handle !== undefined) clock.clearTimeout(handle);
      handle = undefined;
    },
  };
}
