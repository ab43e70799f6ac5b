/** The waits of common/timers.ts on a virtual clock (testing/manual-timers.ts): no real time passes. */
import { describe, expect, it } from 'vitest';
import { ManualTimers } from '../testing/manual-timers.ts';
import { CancellablePause, Wakeup, backoffDelay } from './timers.ts';

function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  return new Promise((resolve) => setImmediate(() => resolve(done)));
}

describe('Wakeup', () => {
  it('ends a wait at wake(), at the timeout, or when the signal aborts', async () => {
    const clock = new ManualTimers();
    const wakeup = new Wakeup();
    const woken = wakeup.wait(1_000, clock);
    expect(await settled(woken)).toBe(false);
    wakeup.wake();
    expect(await settled(woken)).toBe(true);

    const timedOut = wakeup.wait(1_000, clock);
    clock.advance(999);
    expect(await settled(timedOut)).toBe(false);
    clock.advance(1);
    expect(await settled(timedOut)).toBe(true);

    const controller = new AbortController();
    const aborted = wakeup.wait(1_000, clock, controller.signal);
    controller.abort();
    expect(await settled(aborted)).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('returns at once for a signal that aborted before the wait (a stopping worker never hangs)', async () => {
    const clock = new ManualTimers();
    const controller = new AbortController();
    controller.abort();
    expect(await settled(new Wakeup().wait(1_000, clock, controller.signal))).toBe(true);
    expect(clock.pending).toBe(0);
  });

  it('counts a wake() that came before the wait', async () => {
    const clock = new ManualTimers();
    const wakeup = new Wakeup();
    wakeup.wake();
    expect(await settled(wakeup.wait(1_000, clock))).toBe(true);
  });
});

describe('CancellablePause and backoffDelay', () => {
  it('cancel() ends the pause in progress only', async () => {
    const clock = new ManualTimers();
    const pause = new CancellablePause(clock);
    const first = pause.for(500);
    pause.cancel();
    expect(await settled(first)).toBe(true);
    const second = pause.for(500);
    expect(await settled(second)).toBe(false);
    clock.advance(500);
    expect(await settled(second)).toBe(true);
  });

  it('grows by the multiplier up to the cap, with jitter taken off', () => {
    const policy = { initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 2, jitter: 0.5 };
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(policy, attempt, () => 0))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(300);
  });
});
