/**
 * An informer's cache: list, then watch from the list's resourceVersion; relist when the version has
 * expired (410 Gone). The semantics of client-node's `ListWatch` (cache.js), which netweave used before —
 * kept here because that module loads client-node's model serializer and every generated model with it
 * (≈ 25 MB RSS per process) for a feature (label selector serialisation) netweave does not use:
 * - a list replaces the cache: objects missing from it are deleted (delete callbacks), new ones added,
 *   changed ones (another resourceVersion) updated;
 * - ADDED/MODIFIED/DELETED/BOOKMARK move the resourceVersion on; an ERROR event with code 410 clears it,
 *   so the watch that ends next relists;
 * - a watch that ends without an error is resumed; one that ends with 410 relists; any other error goes to
 *   the `error` callbacks and stops (the supervisor restarts it: supervisor.ts).
 */
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { WatchPhaseCallback, WatchTransport } from './supervisor.ts';

export type CacheEvent = 'add' | 'update' | 'delete';

type ObjectsByNamespace<T> = Map<string, Map<string, T>>;

function keyOf(object: KubernetesObject): { namespace: string; name: string } {
  return { namespace: object.metadata?.namespace ?? '', name: object.metadata?.name ?? '' };
}

function statusCodeOf(error: unknown): unknown {
  if (typeof error !== 'object' || error === null) return undefined;
  const { statusCode, code } = error as { statusCode?: unknown; code?: unknown };
  return statusCode ?? code;
}

export class ListWatchCache<T extends KubernetesObject> {
  #objects: ObjectsByNamespace<T> = new Map();
  #resourceVersion = '';
  #stopped = false;
  #request: AbortController | undefined;
  readonly #callbacks: Record<CacheEvent | 'error', Array<(value: never) => void>> = {
    add: [],
    update: [],
    delete: [],
    error: [],
  };

  constructor(
    private readonly path: string,
    private readonly transport: WatchTransport,
    private readonly listFn: () => Promise<KubernetesListObject<T>>,
  ) {}

  on(event: CacheEvent, callback: (object: T) => void): void;
  on(event: 'error', callback: (error: unknown) => void): void;
  on(event: CacheEvent | 'error', callback: (value: never) => void): void {
    this.#callbacks[event].push(callback);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.#objects.get(namespace ?? '')?.get(name);
  }

  list(namespace?: string): T[] {
    if (namespace === undefined || namespace === '') {
      const all: T[] = [];
      for (const objects of this.#objects.values()) all.push(...objects.values());
      return all;
    }
    return [...(this.#objects.get(namespace)?.values() ?? [])];
  }

  /** Lists (unless a resourceVersion can be resumed) and opens the watch. */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#done(null);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort();
  }

  #abort(): void {
    this.#request?.abort();
    this.#request = undefined;
  }

  #emit(event: CacheEvent, object: T): void {
    for (const callback of [...this.#callbacks[event]]) (callback as (o: T) => void)(object);
  }

  #fail(error: unknown): void {
    for (const callback of [...this.#callbacks.error]) (callback as (e: unknown) => void)(error);
  }

  async #done(error: unknown): Promise<void> {
    this.#abort();
    if (error !== null && error !== undefined) {
      if (statusCodeOf(error) !== 410) {
        this.#fail(error);
        return;
      }
      this.#resourceVersion = '';
    }
    if (this.#stopped) return;
    if (this.#resourceVersion === '') {
      let list: KubernetesListObject<T>;
      try {
        list = await this.listFn();
      } catch (listError) {
        this.#fail(listError);
        return;
      }
      this.#replace(list.items ?? []);
      this.#resourceVersion = list.metadata?.resourceVersion ?? '';
    }
    this.#request = await this.transport.watch(
      this.path,
      { resourceVersion: this.#resourceVersion },
      this.#onWatchEvent,
      (doneError) => void this.#done(doneError),
    );
  }

  readonly #onWatchEvent: WatchPhaseCallback = (phase, apiObject) => {
    const object = apiObject as T;
    switch (phase) {
      case 'ERROR':
        if ((apiObject as { code?: unknown } | null)?.code === 410) this.#resourceVersion = '';
        return; // the stream ends next; #done decides
      case 'ADDED':
      case 'MODIFIED':
        this.#addOrUpdate(object);
        break;
      case 'DELETED':
        this.#delete(object);
        break;
      default:
        break; // BOOKMARK: only the resourceVersion moves
    }
    this.#resourceVersion = object.metadata?.resourceVersion ?? '';
  };

  #replace(items: readonly T[]): void {
    const listed = new Map<string, Set<string>>();
    for (const item of items) {
      const { namespace, name } = keyOf(item);
      let names = listed.get(namespace);
      if (names === undefined) listed.set(namespace, (names = new Set()));
      names.add(name);
    }
    for (const [namespace, objects] of this.#objects) {
      const names = listed.get(namespace);
      for (const [name, object] of objects) {
        if (names?.has(name) === true) continue;
        objects.delete(name);
        this.#emit('delete', object);
      }
      if (objects.size === 0) this.#objects.delete(namespace);
    }
    for (const item of items) this.#addOrUpdate(item);
  }

  #addOrUpdate(object: T): void {
    const { namespace, name } = keyOf(object);
    let objects = this.#objects.get(namespace);
    if (objects === undefined) this.#objects.set(namespace, (objects = new Map()));
    const found = objects.get(name);
    if (found === undefined) {
      objects.set(name, object);
      this.#emit('add', object);
      return;
    }
    const version = found.metadata?.resourceVersion;
    if (version !== undefined && version === object.metadata?.resourceVersion) return;
    objects.set(name, object);
    this.#emit('update', object);
  }

  #delete(object: T): void {
    const { namespace, name } = keyOf(object);
    const objects = this.#objects.get(namespace);
    if (objects === undefined) return;
    const found = objects.get(name);
    if (found === undefined) return;
    objects.delete(name);
    this.#emit('delete', object);
    if (objects.size === 0) this.#objects.delete(namespace);
  }
}
