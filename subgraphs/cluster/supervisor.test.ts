import type { KubernetesListObject, V1Node } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { type BackoffPolicy, type Scheduler, backoffDelay } from '../../common/timers.ts';
import { SupervisedInformer, type WatchPhaseCallback, type WatchTransport } from './supervisor.ts';

/** Timers driven by the test: nothing runs until the test fires it. */
class ManualTimers implements Scheduler {
  time = 0;
  readonly pending: { delayMs: number; callback: () => void; cancelled: boolean }[] = [];
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, delayMs: number): () => void {
    const entry = { delayMs, callback, cancelled: false };
    this.pending.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }
  /** Delays of the timers still waiting. */
  get delays(): number[] {
    return this.pending.filter((e) => !e.cancelled).map((e) => e.delayMs);
  }
  fireNext(): void {
    const index = this.pending.findIndex((e) => !e.cancelled);
    if (index < 0) throw new Error('no timer pending');
    const [entry] = this.pending.splice(index, 1);
    this.time += entry!.delayMs;
    entry!.callback();
  }
}

interface WatchCall {
  readonly queryParams: Record<string, unknown>;
  readonly emit: WatchPhaseCallback;
  readonly done: (error: unknown) => void;
}

/** A scripted API server: list results and watch outcomes are set by the test. */
class FakeServer implements WatchTransport {
  readonly watches: WatchCall[] = [];
  lists = 0;
  listError: Error | undefined;
  /** Fails the next watch request with this error before the stream opens. */
  watchError: Error | undefined;
  items: V1Node[] = [];
  resourceVersion = '10';

  list = async (): Promise<KubernetesListObject<V1Node>> => {
    this.lists++;
    if (this.listError) throw this.listError;
    return { metadata: { resourceVersion: this.resourceVersion }, items: this.items };
  };

  async watch(
    _path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: WatchPhaseCallback,
    done: (error: unknown) => void,
  ): Promise<AbortController> {
    const error = this.watchError;
    this.watchError = undefined;
    if (error) done(error);
    else this.watches.push({ queryParams, emit: callback, done });
    return new AbortController();
  }

  get lastWatch(): WatchCall {
    const call = this.watches.at(-1);
    if (!call) throw new Error('no watch open');
    return call;
  }
}

const POLICY: BackoffPolicy = { initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 2, jitter: 0.5 };

function node(name: string, resourceVersion: string): V1Node {
  return { metadata: { name, uid: `uid-${name}`, resourceVersion } };
}

function setup(): {
  server: FakeServer;
  timers: ManualTimers;
  informer: SupervisedInformer<V1Node>;
  normalized: unknown[];
} {
  const server = new FakeServer();
  const timers = new ManualTimers();
  const normalized: unknown[] = [];
  const informer = new SupervisedInformer<V1Node>({
    name: 'nodes',
    path: '/api/v1/nodes',
    list: server.list,
    transport: server,
    normalize: (raw) => {
      normalized.push(raw);
      return raw as V1Node;
    },
    timers,
    random: () => 0,
    backoff: POLICY,
    healthyAfterMs: 1_000,
  });
  return { server, timers, informer, normalized };
}

/** Lets ListWatch's promise chain (list → apply → watch) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('backoff', () => {
  it('grows exponentially up to the cap, with jitter taking up to the configured fraction', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(POLICY, n, () => 0))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffDelay(POLICY, 3, () => 0.999)).toBe(200);
  });
});

describe('supervised informer', () => {
  it('lists, reports synced, then watches from the list resourceVersion', async () => {
    const { server, informer } = setup();
    server.items = [node('a', '5')];
    informer.start();
    await informer.synced();
    await settle();
    expect(informer.list().map((n) => n.metadata?.name)).toEqual(['a']);
    expect(server.lastWatch.queryParams['resourceVersion']).toBe('10');
    expect(informer.health()).toMatchObject({ synced: true, connected: true, restarts: 0, lastError: null });
  });

  it('normalizes watch objects before they reach the cache', async () => {
    const { server, informer, normalized } = setup();
    informer.start();
    await settle();
    server.lastWatch.emit('ADDED', node('b', '11'));
    expect(normalized).toHaveLength(1);
    expect(informer.get('b')?.metadata?.resourceVersion).toBe('11');
  });

  it('restarts with growing backoff after failures and resets it once a watch is healthy', async () => {
    const { server, timers, informer } = setup();
    server.listError = new Error('connect ECONNREFUSED');
    informer.start();
    await settle();
    expect(timers.delays).toEqual([100]);
    expect(informer.health()).toMatchObject({ synced: false, connected: false, consecutiveFailures: 1 });
    expect(informer.health().lastError?.message).toContain('ECONNREFUSED');
    timers.fireNext();
    await settle();
    expect(timers.delays).toEqual([200]);
    server.listError = undefined;
    timers.fireNext();
    await settle();
    expect(informer.isSynced).toBe(true);
    expect(informer.health()).toMatchObject({ connected: true, restarts: 2 });
    // A watch that delivered events and then failed restarts at the initial delay again.
    server.lastWatch.emit('ADDED', node('c', '12'));
    server.lastWatch.done(new Error('socket hang up'));
    await settle();
    expect(timers.delays).toEqual([100]);
  });

  it('resumes the watch from the last resourceVersion after a restart, without relisting', async () => {
    const { server, timers, informer } = setup();
    informer.start();
    await settle();
    server.lastWatch.emit('MODIFIED', node('a', '15'));
    server.lastWatch.done(new Error('socket hang up'));
    await settle();
    expect(timers.delays).toEqual([100]);
    timers.fireNext();
    await settle();
    expect(server.lists).toBe(1);
    expect(server.lastWatch.queryParams['resourceVersion']).toBe('15');
  });

  it('relists when the resourceVersion has expired (410 Gone)', async () => {
    const { server, informer } = setup();
    server.items = [node('a', '5'), node('b', '6')];
    informer.start();
    await settle();
    const deleted: string[] = [];
    informer.on('delete', (n) => deleted.push(n.metadata!.name!));
    server.items = [node('a', '20')];
    server.resourceVersion = '20';
    server.lastWatch.emit('ERROR', { kind: 'Status', code: 410, reason: 'Expired' });
    server.lastWatch.done(null);
    await settle();
    expect(server.lists).toBe(2);
    expect(deleted).toEqual(['b']);
    expect(informer.health().relists).toBe(1);
    expect(server.lastWatch.queryParams['resourceVersion']).toBe('20');
  });

  it('re-watches at once after a healthy stream ends, and backs off after streams that end at once', async () => {
    const { server, timers, informer } = setup();
    informer.start();
    await settle();
    timers.time += 5_000;
    server.lastWatch.done(null);
    await settle();
    expect(server.watches).toHaveLength(2);
    expect(timers.delays).toEqual([]);
    server.lastWatch.done(null);
    await settle();
    expect(server.watches).toHaveLength(2);
    expect(timers.delays).toEqual([100]);
    timers.fireNext();
    await settle();
    expect(server.watches).toHaveLength(3);
    server.lastWatch.done(null);
    await settle();
    expect(timers.delays).toEqual([200]);
  });

  it('tells listeners when a watch recovers after failures', async () => {
    const { server, timers, informer } = setup();
    let recovered = 0;
    informer.onRecovered(() => recovered++);
    informer.start();
    await settle();
    expect(recovered).toBe(0);
    server.lastWatch.done(new Error('reset'));
    await settle();
    server.watchError = new Error('Service Unavailable');
    timers.fireNext();
    await settle();
    expect(recovered).toBe(0);
    timers.fireNext();
    await settle();
    expect(recovered).toBe(1);
  });

  it('cancels pending restarts when stopped', async () => {
    const { server, timers, informer } = setup();
    server.listError = new Error('down');
    informer.start();
    await settle();
    expect(timers.delays).toEqual([100]);
    await informer.stop();
    expect(timers.delays).toEqual([]);
    expect(informer.health().connected).toBe(false);
  });
});
