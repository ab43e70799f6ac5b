/**
 * A per-shard circuit breaker. After `failureThreshold` consecutive failures the circuit opens and calls
 * fail at once (a dead cluster must not cost every request a timeout); after `cooldownMs` one trial call
 * is let through (half-open) and its outcome closes or re-opens the circuit. The clock is injectable.
 */
export interface CircuitBreakerOptions {
  readonly failureThreshold: number;
  readonly cooldownMs: number;
  readonly now?: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export class CircuitBreaker {
  #failures = 0;
  #openedAt: number | undefined;
  #trialInFlight = false;
  readonly #now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.#now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.#openedAt === undefined) return 'closed';
    return this.#now() - this.#openedAt >= this.options.cooldownMs ? 'half-open' : 'open';
  }

  /** True when a call may go out now; in half-open state only one trial at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.#trialInFlight) return false;
    this.#trialInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.#failures = 0;
    this.#openedAt = undefined;
    this.#trialInFlight = false;
  }

  recordFailure(): void {
    this.#trialInFlight = false;
    this.#failures += 1;
    if (this.#openedAt !== undefined || this.#failures >= this.options.failureThreshold) {
      this.#openedAt = this.#now();
    }
  }
}
