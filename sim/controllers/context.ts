/** What every workload controller works with: the store (through the API server's write rules) and a clock. */
import type { ResourceType } from '../resources/resource-type.ts';
import { deepEqual } from '../json.ts';
import { stableSuffix } from '../scenario/determinism.ts';
import { formatTime } from '../store/metadata.ts';
import type { MemoryObjectStore } from '../store/object-store.ts';
import type { KubeObject } from '../types.ts';
import type { Json } from './json-access.ts';
import { controlledBy, record, records, statusOf } from './json-access.ts';

export class ControllerContext {
  constructor(
    readonly store: MemoryObjectStore,
    readonly now: () => number,
  ) {}

  type(apiVersion: string, kind: string): ResourceType {
    return this.store.typeOf(apiVersion, kind);
  }

  timestamp(): string {
    return formatTime(this.now());
  }

  nodes(): KubeObject[] {
    return this.store.listObjects(this.type('v1', 'Node')).items;
  }

  pods(namespace?: string): KubeObject[] {
    return this.store.listObjects(this.type('v1', 'Pod'), namespace === undefined ? {} : { namespace }).items;
  }

  /** Objects of `apiVersion`/`kind` in the owner's namespace whose controller is `owner`. */
  owned(owner: KubeObject, apiVersion: string, kind: string): KubeObject[] {
    const namespace = owner.metadata.namespace;
    return this.store
      .listObjects(this.type(apiVersion, kind), namespace === undefined ? {} : { namespace })
      .items.filter((item) => controlledBy(item, owner));
  }

  /**
   * A free name `<prefix><5 characters>` derived from `seed`, so names are reproducible for the same
   * owner and order of creation (the API server's generateName suffixes are random).
   */
  freeName(prefix: string, namespace: string | undefined, seed: string): string {
    const pods = this.type('v1', 'Pod');
    for (let attempt = 0; ; attempt++) {
      const name = `${prefix}${stableSuffix(5, seed, String(attempt))}`;
      if (this.store.getObject(pods, namespace, name) === undefined) return name;
    }
  }

  create(object: KubeObject): KubeObject {
    return this.store.createObject(this.type(object.apiVersion, object.kind), object, { fromApi: false });
  }

  /** Replaces the whole object (spec, metadata and status), as a controller's update would. */
  update(object: KubeObject): KubeObject {
    return this.store.replaceObject(this.type(object.apiVersion, object.kind), object, { scope: 'all' });
  }

  delete(object: KubeObject): void {
    this.store.deleteObject(
      this.type(object.apiVersion, object.kind),
      object.metadata.namespace,
      object.metadata.name,
      {
        propagationPolicy: 'Background',
      },
    );
  }

  /**
   * Writes `status` through `/status` unless nothing changed. Conditions that keep their status, reason
   * and message keep their timestamps, so a recomputed but equal status is no write at all.
   */
  writeStatus(current: KubeObject, status: Json): void {
    const previous = records(statusOf(current)['conditions']);
    const now = this.timestamp();
    if (Array.isArray(status['conditions'])) {
      status['conditions'] = records(status['conditions']).map((condition) => {
        const old = previous.find((c) => c['type'] === condition['type']);
        if (
          old !== undefined &&
          old['status'] === condition['status'] &&
          old['reason'] === condition['reason'] &&
          old['message'] === condition['message']
        )
          return old;
        const next: Json = { ...condition };
        if ('lastUpdateTime' in condition) next['lastUpdateTime'] = now;
        next['lastTransitionTime'] =
          old !== undefined &&
          old['status'] === condition['status'] &&
          typeof old['lastTransitionTime'] === 'string'
            ? old['lastTransitionTime']
            : now;
        return next;
      });
    }
    if (deepEqual(status, record(current['status']))) return;
    this.store.replaceObject(
      this.type(current.apiVersion, current.kind),
      { ...current, metadata: { ...current.metadata }, status },
      { scope: 'status' },
    );
  }
}
