/**
 * The simulated cluster's storage: every object of every kind, one global resourceVersion counter, the
 * watch window, and the server-side rules of writes (preconditions, generation, status subresource,
 * finalizers, namespace and CRD cascades, owner-reference garbage collection).
 *
 * Stored objects are deep-frozen and never mutated: a write stores a new object. One copy is therefore
 * shared by the store, the event log and in-flight serialisation; callers of the programmatic API get
 * clones, HTTP handlers serialise the shared copy directly.
 */
import { randomUUID } from 'node:crypto';
import { SimApiError, alreadyExists, badRequest, conflict, invalid, notFound } from '../errors.ts';
import { deepEqual, deepFreeze } from '../json.ts';
import { applyMergePatch } from '../patch/merge-patch.ts';
import { establishedStatus, resourceTypeFromCrd } from '../resources/crd.ts';
import { ResourceRegistry } from '../resources/registry.ts';
import type { ResourceType } from '../resources/resource-type.ts';
import { groupKindKey } from '../resources/resource-type.ts';
import type { KubeObject, ObjectMeta } from '../types.ts';
import { isPlainObject, joinApiVersion, splitApiVersion } from '../types.ts';
import { applyCreateDefaults, applyWorkloadDefaults } from './defaults.ts';
import type { StoreEvent, WatchEventType } from './event-log.ts';
import { EventLog } from './event-log.ts';
import type { FieldSelector } from './field-selector.ts';
import type { LabelSelector } from './label-selector.ts';
import { parseLabelSelector } from './label-selector.ts';
import { formatTime, randomSuffix, validateLabelsAndAnnotations, validateName } from './metadata.ts';
import { decodeContinue, encodeContinue, lowerBound, upperBound } from './paging.ts';

export interface SimObjectStore {
  create(obj: KubeObject): KubeObject;
  get(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined;
  list(apiVersion: string, kind: string, opts?: { namespace?: string; labelSelector?: string }): KubeObject[];
  /** Full replace (status included). */
  update(obj: KubeObject): KubeObject;
  /** RFC 7386 merge patch of the whole object (status included). */
  mergePatch(apiVersion: string, kind: string, name: string, patch: unknown, namespace?: string): KubeObject;
  delete(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined;
  /** The current global counter. */
  readonly resourceVersion: string;
  /** Every committed change, after it is visible to reads (controllers react to it). */
  subscribe(listener: StoreListener): () => void;
}

/** Which part of an object a write may change: everything (programmatic), the main resource, or `/status`. */
export type WriteScope = 'all' | 'main' | 'status';

export interface Preconditions {
  readonly uid?: string;
  readonly resourceVersion?: string;
}

export interface DeleteOptions {
  readonly propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  readonly preconditions?: Preconditions;
  readonly dryRun?: boolean;
}

export interface ListQuery {
  readonly namespace?: string;
  readonly labelSelector?: LabelSelector;
  readonly fieldSelector?: FieldSelector;
  readonly limit?: number;
  readonly continueToken?: string;
}

export interface ListResult {
  /** Shared, frozen stored objects: serialise or clone, never mutate. */
  readonly items: KubeObject[];
  readonly resourceVersion: string;
  readonly continueToken?: string;
  readonly remainingItemCount?: number;
}

export interface StoreOptions {
  /** Size of the watch window (events a watch can resume across). */
  readonly retainedEvents?: number;
  readonly now?: () => number;
  readonly registry?: ResourceRegistry;
}

interface Bucket {
  type: ResourceType;
  readonly objects: Map<string, KubeObject>;
  /** Keys in sort order, rebuilt lazily after creates and deletes (updates keep keys). */
  sorted: string[] | undefined;
}

export type StoreListener = (event: StoreEvent) => void;

const NAMESPACE_TYPE = { group: '', kind: 'Namespace' };
const CRD_KIND = groupKindKey('apiextensions.k8s.io', 'CustomResourceDefinition');
const FOREGROUND_FINALIZER = 'foregroundDeletion';

function objectKey(namespace: string | undefined, name: string): string {
  return namespace === undefined ? name : `${namespace}/${name}`;
}

function dependentKey(groupKind: string, key: string): string {
  return `${groupKind}\u0000${key}`;
}

/** The fields whose change bumps metadata.generation. */
function specOf(object: KubeObject, type: ResourceType): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...object };
  delete rest['metadata'];
  if (type.statusSubresource) delete rest['status'];
  return rest;
}

function withoutRevision(meta: ObjectMeta): ObjectMeta {
  const copy = { ...meta };
  delete copy.resourceVersion;
  return copy;
}

export class MemoryObjectStore implements SimObjectStore {
  readonly registry: ResourceRegistry;
  private counter = 0;
  private readonly now: () => number;
  private readonly buckets = new Map<string, Bucket>();
  private readonly log: EventLog;
  private readonly listeners = new Set<StoreListener>();
  /** Owner uid → dependents (groupKind + key) naming it in ownerReferences. */
  private readonly dependents = new Map<string, Set<string>>();
  private readonly uids = new Set<string>();
  /** uid → field manager → the configuration it last server-side applied (kept for the object's lifetime). */
  private readonly applied = new Map<string, Map<string, unknown>>();

  constructor(options: StoreOptions = {}) {
    this.registry = options.registry ?? new ResourceRegistry();
    this.now = options.now ?? Date.now;
    this.log = new EventLog(options.retainedEvents ?? 1000);
  }

  get resourceVersion(): string {
    return String(this.counter);
  }

  get revision(): number {
    return this.counter;
  }

  // ---- programmatic API: same rules as HTTP, clones in and out ----

  create(obj: KubeObject): KubeObject {
    const type = this.typeOf(obj.apiVersion, obj.kind);
    return this.cloneOut(this.createObject(type, structuredClone(obj), { fromApi: false }), obj.apiVersion);
  }

  get(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined {
    const type = this.registry.byApiVersionKind(apiVersion, kind);
    const found = type && this.getObject(type, namespace, name);
    return found && this.cloneOut(found, apiVersion);
  }

  list(
    apiVersion: string,
    kind: string,
    opts: { namespace?: string; labelSelector?: string } = {},
  ): KubeObject[] {
    const type = this.registry.byApiVersionKind(apiVersion, kind);
    if (type === undefined) return [];
    const query: { namespace?: string; labelSelector: LabelSelector } = {
      labelSelector: parseLabelSelector(opts.labelSelector),
    };
    if (opts.namespace !== undefined) query.namespace = opts.namespace;
    return this.listObjects(type, query).items.map((item) => this.cloneOut(item, apiVersion));
  }

  update(obj: KubeObject): KubeObject {
    const type = this.typeOf(obj.apiVersion, obj.kind);
    return this.cloneOut(this.replaceObject(type, structuredClone(obj), { scope: 'all' }), obj.apiVersion);
  }

  mergePatch(apiVersion: string, kind: string, name: string, patch: unknown, namespace?: string): KubeObject {
    const type = this.typeOf(apiVersion, kind);
    const patched = this.patchObject(type, namespace, name, (current) => applyMergePatch(current, patch), {
      scope: 'all',
    });
    return this.cloneOut(patched, apiVersion);
  }

  delete(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined {
    const type = this.registry.byApiVersionKind(apiVersion, kind);
    if (type === undefined || this.getObject(type, namespace, name) === undefined) return undefined;
    return this.cloneOut(this.deleteObject(type, namespace, name), apiVersion);
  }

  // ---- the API server's view: shared frozen objects, explicit write scopes ----

  /** Resolves an apiVersion/kind or throws the error kubectl shows for unknown kinds. */
  typeOf(apiVersion: string, kind: string): ResourceType {
    const type = this.registry.byApiVersionKind(apiVersion, kind);
    if (type === undefined)
      throw new SimApiError(404, 'NotFound', `no matches for kind "${kind}" in version "${apiVersion}"`);
    return type;
  }

  getObject(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.buckets
      .get(groupKindKey(type.group, type.kind))
      ?.objects.get(objectKey(this.namespaceFor(type, namespace), name));
  }

  listObjects(type: ResourceType, query: ListQuery = {}): ListResult {
    const bucket = this.buckets.get(groupKindKey(type.group, type.kind));
    let revision = this.counter;
    if (bucket === undefined) return { items: [], resourceVersion: String(revision) };
    const keys = this.sortedKeys(bucket);
    let start = 0;
    let end = keys.length;
    if (type.namespaced && query.namespace !== undefined) {
      // Keys are `namespace/name`; '0' is the character after '/', so this is exactly the namespace's range.
      start = lowerBound(keys, `${query.namespace}/`);
      end = lowerBound(keys, `${query.namespace}0`);
    }
    if (query.continueToken !== undefined) {
      const token = decodeContinue(query.continueToken);
      start = Math.max(start, upperBound(keys, token.after));
      revision = token.revision;
    }
    const matches = (object: KubeObject): boolean =>
      (query.labelSelector?.matches(object.metadata.labels) ?? true) &&
      (query.fieldSelector?.matches(object) ?? true);
    const limit = query.limit !== undefined && query.limit > 0 ? query.limit : Infinity;
    const items: KubeObject[] = [];
    let index = start;
    for (; index < end && items.length < limit; index++) {
      const object = bucket.objects.get(keys[index]!)!;
      if (matches(object)) items.push(object);
    }
    const result: { -readonly [K in keyof ListResult]: ListResult[K] } = {
      items,
      resourceVersion: String(revision),
    };
    if (items.length === limit) {
      // Only hand out a token when another page really has items, so the last page never comes back empty.
      let more = false;
      for (let i = index; i < end && !more; i++) more = matches(bucket.objects.get(keys[i]!)!);
      if (more) {
        result.continueToken = encodeContinue({ after: keys[index - 1]!, revision });
        const unfiltered = (query.labelSelector?.empty ?? true) && (query.fieldSelector?.empty ?? true);
        if (unfiltered) result.remainingItemCount = end - index;
      }
    }
    return result;
  }

  createObject(
    type: ResourceType,
    object: KubeObject,
    options: { fromApi: boolean; dryRun?: boolean },
  ): KubeObject {
    if (!isPlainObject(object.metadata)) throw badRequest('metadata is required');
    const meta = object.metadata;
    if (options.fromApi) {
      // The API server owns these on create, whatever the client sent.
      delete meta.uid;
      delete meta.resourceVersion;
      delete meta.creationTimestamp;
      delete meta.deletionTimestamp;
      delete meta.generation;
    } else {
      delete meta.resourceVersion;
    }
    const bucket = this.bucketFor(type);
    const namespace = this.namespaceFor(type, meta.namespace);
    if (namespace === undefined) delete meta.namespace;
    else meta.namespace = namespace;
    if (
      (meta.name === undefined || meta.name === '') &&
      typeof meta.generateName === 'string' &&
      meta.generateName !== ''
    ) {
      do meta.name = `${meta.generateName}${randomSuffix()}`;
      while (bucket.objects.has(objectKey(namespace, meta.name)));
    }
    if (typeof meta.name !== 'string')
      throw invalid(type, '', 'metadata.name', 'Required value: name or generateName is required');
    validateName(type, meta.name);
    validateLabelsAndAnnotations(type, meta.name, meta);
    if (namespace !== undefined && this.getObject(this.namespaceType(), undefined, namespace) === undefined) {
      throw notFound({ group: '', plural: 'namespaces' }, namespace);
    }
    const key = objectKey(namespace, meta.name);
    if (bucket.objects.has(key)) throw alreadyExists(type, meta.name);

    if (meta.uid === undefined || this.uids.has(meta.uid)) meta.uid = randomUUID();
    const now = formatTime(this.now());
    meta.creationTimestamp ??= now;
    if (type.tracksGeneration) meta.generation ??= 1;
    else delete meta.generation;
    object.apiVersion = joinApiVersion(type.group, splitApiVersion(object.apiVersion).version);
    applyCreateDefaults(object, !type.custom);
    if (!type.custom) applyWorkloadDefaults(object);
    let defined: ResourceType | undefined;
    if (groupKindKey(type.group, type.kind) === CRD_KIND) {
      defined = this.checkCrd(object);
      object['status'] = establishedStatus(object, now);
    }
    if (options.dryRun === true) return deepFreeze(object);

    meta.resourceVersion = String(++this.counter);
    deepFreeze(object);
    bucket.objects.set(key, object);
    bucket.sorted = undefined;
    this.uids.add(meta.uid);
    this.indexOwners(type, key, object, 'add');
    if (defined !== undefined) this.registry.add(defined);
    this.emit('ADDED', type, object, undefined);
    return object;
  }

  /** Replaces an object. `object` becomes owned by the store (it is frozen and kept). */
  replaceObject(
    type: ResourceType,
    object: KubeObject,
    options: { scope: WriteScope; dryRun?: boolean },
  ): KubeObject {
    if (!isPlainObject(object.metadata) || typeof object.metadata.name !== 'string')
      throw badRequest('metadata.name is required');
    const namespace = this.namespaceFor(type, object.metadata.namespace);
    const key = objectKey(namespace, object.metadata.name);
    const bucket = this.bucketFor(type);
    const current = bucket.objects.get(key);
    if (current === undefined) throw notFound(type, object.metadata.name);
    this.checkPreconditions(type, current, { ...object.metadata });

    let next: KubeObject;
    if (options.scope === 'status') {
      next = { ...current, metadata: { ...current.metadata } };
      if (object['status'] === undefined) delete next['status'];
      else next['status'] = object['status'];
    } else {
      next = object;
      if (options.scope === 'main' && type.statusSubresource) {
        if (current['status'] === undefined) delete next['status'];
        else next['status'] = current['status'];
      }
      next.metadata = this.carrySystemFields(current.metadata, next.metadata);
    }
    next.apiVersion = current.apiVersion;
    next.kind = current.kind;
    if (options.scope !== 'status' && !type.custom) applyWorkloadDefaults(next);
    validateLabelsAndAnnotations(type, current.metadata.name, next.metadata);
    if (type.tracksGeneration && !deepEqual(specOf(current, type), specOf(next, type))) {
      next.metadata.generation = (current.metadata.generation ?? 0) + 1;
    }
    let defined: ResourceType | undefined;
    if (groupKindKey(type.group, type.kind) === CRD_KIND) {
      defined = this.checkCrd(next);
      next['status'] = establishedStatus(next, formatTime(this.now()));
    }
    const finalizing =
      current.metadata.deletionTimestamp !== undefined && (next.metadata.finalizers ?? []).length === 0;
    if (options.dryRun === true) return deepFreeze(next);
    if (finalizing) {
      const deleted = this.removeObject(type, bucket, key, current);
      this.collectGarbage(current.metadata.uid!);
      return deleted;
    }

    const unchanged =
      deepEqual(withoutRevision(next.metadata), withoutRevision(current.metadata)) &&
      deepEqual({ ...next, metadata: null }, { ...current, metadata: null });
    if (unchanged) return current;

    if (defined !== undefined) {
      this.registry.add(defined);
      this.retypeBucket(defined);
    }
    return this.commitUpdate(type, bucket, key, current, next);
  }

  /** Stores `next` in place of `current` with a new resourceVersion and tells watchers. */
  private commitUpdate(
    type: ResourceType,
    bucket: Bucket,
    key: string,
    current: KubeObject,
    next: KubeObject,
  ): KubeObject {
    next.metadata.resourceVersion = String(++this.counter);
    deepFreeze(next);
    this.indexOwners(type, key, current, 'remove');
    bucket.objects.set(key, next);
    this.indexOwners(type, key, next, 'add');
    this.emit('MODIFIED', type, next, current);
    return next;
  }

  /** Applies `patch` (a pure function of the current object) and stores the result. */
  patchObject(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: (current: KubeObject) => unknown,
    options: { scope: WriteScope; dryRun?: boolean },
  ): KubeObject {
    const current = this.getObject(type, namespace, name);
    if (current === undefined) throw notFound(type, name);
    const patched = patch(current);
    if (!isPlainObject(patched) || !isPlainObject(patched['metadata']))
      throw badRequest('the patched object must be an object with metadata');
    // A frozen result would mean the patch returned (parts of) the stored object itself: copy it to own it.
    const next = structuredClone(patched) as KubeObject;
    if (next.metadata.name !== name)
      throw invalid(
        type,
        name,
        'metadata.name',
        `Invalid value: "${String(next.metadata.name)}": field is immutable`,
      );
    if (type.namespaced) next.metadata.namespace = current.metadata.namespace!;
    return this.replaceObject(type, next, options);
  }

  deleteObject(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): KubeObject {
    const bucket = this.bucketFor(type);
    const key = objectKey(this.namespaceFor(type, namespace), name);
    const current = bucket.objects.get(key);
    if (current === undefined) throw notFound(type, name);
    this.checkPreconditions(type, current, options.preconditions ?? {});
    if (options.dryRun === true) return current;

    if ((current.metadata.finalizers ?? []).length > 0) {
      // Finalizers hold the object (marked for deletion) until whoever owns them removes them.
      if (current.metadata.deletionTimestamp !== undefined) return current;
      const marked: KubeObject = {
        ...current,
        metadata: {
          ...current.metadata,
          deletionTimestamp: formatTime(this.now()),
          deletionGracePeriodSeconds: 0,
        },
      };
      return this.commitUpdate(type, bucket, key, current, marked);
    }
    const uid = current.metadata.uid!;
    if (options.propagationPolicy === 'Foreground' && this.dependents.has(uid))
      return this.deleteForeground(type, bucket, key, current);
    if (options.propagationPolicy === 'Orphan') this.orphanDependents(uid);
    if (groupKindKey(type.group, type.kind) === groupKindKey(NAMESPACE_TYPE.group, NAMESPACE_TYPE.kind))
      this.emptyNamespace(name);
    if (groupKindKey(type.group, type.kind) === CRD_KIND) this.dropCustomResources(current);
    const deleted = this.removeObject(type, bucket, key, current);
    this.collectGarbage(uid);
    return deleted;
  }

  /**
   * Foreground deletion: the owner is first marked (deletionTimestamp + the `foregroundDeletion`
   * finalizer, so watchers see it going), its dependents are deleted (foreground too, depth first), and
   * then the owner itself. The garbage collector's asynchronous steps happen at once here.
   */
  private deleteForeground(type: ResourceType, bucket: Bucket, key: string, current: KubeObject): KubeObject {
    const marked = this.commitUpdate(type, bucket, key, current, {
      ...current,
      metadata: {
        ...current.metadata,
        deletionTimestamp: formatTime(this.now()),
        deletionGracePeriodSeconds: 0,
        finalizers: [...(current.metadata.finalizers ?? []), FOREGROUND_FINALIZER],
      },
    });
    for (const dependent of this.dependentsOf(current.metadata.uid!)) {
      if (
        this.buckets
          .get(groupKindKey(dependent.type.group, dependent.type.kind))
          ?.objects.get(dependent.key) !== dependent.object
      )
        continue;
      this.deleteObject(dependent.type, dependent.object.metadata.namespace, dependent.object.metadata.name, {
        propagationPolicy: 'Foreground',
      });
    }
    const latest = bucket.objects.get(key) ?? marked;
    const finalizers = (latest.metadata.finalizers ?? []).filter((f) => f !== FOREGROUND_FINALIZER);
    // Other finalizers still hold the object, as they would after the garbage collector's part is done.
    return this.replaceObject(
      type,
      { ...latest, metadata: { ...latest.metadata, finalizers } },
      { scope: 'all' },
    );
  }

  /** What `manager` last server-side applied to the object with `uid`. */
  appliedConfiguration(uid: string, manager: string): unknown {
    return this.applied.get(uid)?.get(manager);
  }

  recordAppliedConfiguration(uid: string, manager: string, configuration: unknown): void {
    if (!this.uids.has(uid)) return;
    let byManager = this.applied.get(uid);
    if (byManager === undefined) this.applied.set(uid, (byManager = new Map()));
    byManager.set(manager, configuration);
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events after `revision`, or 'expired' when the window no longer holds them all. */
  eventsSince(revision: number): StoreEvent[] | 'expired' {
    return this.log.since(revision);
  }

  // ---- internals ----

  private cloneOut(object: KubeObject, apiVersion: string): KubeObject {
    const copy = structuredClone(object);
    // Custom resources are stored once and served in every version (no conversion), like CRDs with
    // `conversion: None`.
    copy.apiVersion = apiVersion;
    return copy;
  }

  private namespaceType(): ResourceType {
    return this.typeOf('v1', 'Namespace');
  }

  private namespaceFor(type: ResourceType, namespace: string | undefined): string | undefined {
    if (!type.namespaced) return undefined;
    return namespace === undefined || namespace === '' ? 'default' : namespace;
  }

  private bucketFor(type: ResourceType): Bucket {
    const gk = groupKindKey(type.group, type.kind);
    let bucket = this.buckets.get(gk);
    if (bucket === undefined) {
      bucket = { type, objects: new Map(), sorted: undefined };
      this.buckets.set(gk, bucket);
    }
    return bucket;
  }

  private retypeBucket(type: ResourceType): void {
    const bucket = this.buckets.get(groupKindKey(type.group, type.kind));
    if (bucket !== undefined) bucket.type = type;
  }

  private sortedKeys(bucket: Bucket): string[] {
    bucket.sorted ??= [...bucket.objects.keys()].sort();
    return bucket.sorted;
  }

  private checkPreconditions(type: ResourceType, current: KubeObject, wanted: Preconditions): void {
    const name = current.metadata.name;
    if (
      wanted.resourceVersion !== undefined &&
      wanted.resourceVersion !== '' &&
      wanted.resourceVersion !== current.metadata.resourceVersion
    ) {
      throw conflict(type, name);
    }
    if (wanted.uid !== undefined && wanted.uid !== '' && wanted.uid !== current.metadata.uid) {
      throw new SimApiError(
        409,
        'Conflict',
        `Precondition failed: UID in precondition: ${wanted.uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
        {
          name,
          kind: type.plural,
        },
      );
    }
  }

  /** Metadata the server owns survives any update. */
  private carrySystemFields(current: ObjectMeta, next: ObjectMeta): ObjectMeta {
    const meta: ObjectMeta = {
      ...next,
      name: current.name,
      uid: current.uid!,
      creationTimestamp: current.creationTimestamp!,
    };
    if (current.namespace === undefined) delete meta.namespace;
    else meta.namespace = current.namespace;
    if (current.generation === undefined) delete meta.generation;
    else meta.generation = current.generation;
    if (current.deletionTimestamp === undefined) delete meta.deletionTimestamp;
    else meta.deletionTimestamp = current.deletionTimestamp;
    return meta;
  }

  private checkCrd(crd: KubeObject): ResourceType {
    const defined = resourceTypeFromCrd(crd);
    const existing = this.registry.byGroupAndPlural(defined.group, defined.plural);
    if (existing !== undefined && !existing.custom) {
      throw invalid(
        this.typeOf('apiextensions.k8s.io/v1', 'CustomResourceDefinition'),
        crd.metadata.name,
        'spec.names.plural',
        'conflicts with a built-in resource',
      );
    }
    return defined;
  }

  private removeObject(type: ResourceType, bucket: Bucket, key: string, current: KubeObject): KubeObject {
    const revision = ++this.counter;
    const deleted = deepFreeze({
      ...current,
      metadata: { ...current.metadata, resourceVersion: String(revision) },
    });
    bucket.objects.delete(key);
    bucket.sorted = undefined;
    this.uids.delete(current.metadata.uid!);
    this.applied.delete(current.metadata.uid!);
    this.indexOwners(type, key, current, 'remove');
    this.record('DELETED', revision, type, deleted, current);
    return deleted;
  }

  private indexOwners(type: ResourceType, key: string, object: KubeObject, change: 'add' | 'remove'): void {
    const refs = object.metadata.ownerReferences;
    if (!Array.isArray(refs)) return;
    const dependent = dependentKey(groupKindKey(type.group, type.kind), key);
    for (const ref of refs) {
      if (typeof ref.uid !== 'string') continue;
      let set = this.dependents.get(ref.uid);
      if (change === 'add') {
        if (set === undefined) this.dependents.set(ref.uid, (set = new Set()));
        set.add(dependent);
      } else {
        set?.delete(dependent);
        if (set?.size === 0) this.dependents.delete(ref.uid);
      }
    }
  }

  private *dependentsOf(
    uid: string,
  ): Generator<{ type: ResourceType; bucket: Bucket; key: string; object: KubeObject }> {
    for (const entry of [...(this.dependents.get(uid) ?? [])]) {
      const [groupKind, key] = entry.split('\u0000') as [string, string];
      const bucket = this.buckets.get(groupKind);
      const object = bucket?.objects.get(key);
      if (bucket !== undefined && object !== undefined) yield { type: bucket.type, bucket, key, object };
    }
  }

  /** Background deletion: dependents none of whose owners exist any more go too (recursively). */
  private collectGarbage(ownerUid: string): void {
    for (const { type, key, object } of this.dependentsOf(ownerUid)) {
      const owners = object.metadata.ownerReferences ?? [];
      if (owners.some((ref) => this.uids.has(ref.uid))) continue;
      if (this.buckets.get(groupKindKey(type.group, type.kind))?.objects.get(key) !== object) continue;
      this.deleteObject(type, object.metadata.namespace, object.metadata.name, {
        propagationPolicy: 'Background',
      });
    }
  }

  private orphanDependents(ownerUid: string): void {
    for (const { type, object } of this.dependentsOf(ownerUid)) {
      const refs = (object.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== ownerUid);
      const meta: ObjectMeta = { ...object.metadata, ownerReferences: refs };
      if (refs.length === 0) delete meta.ownerReferences;
      this.replaceObject(type, { ...object, metadata: meta }, { scope: 'all' });
    }
  }

  /** Deleting a namespace deletes everything in it first (the namespace controller's job, done at once). */
  private emptyNamespace(namespace: string): void {
    for (const bucket of [...this.buckets.values()]) {
      if (!bucket.type.namespaced) continue;
      const keys = this.sortedKeys(bucket);
      const inNamespace = keys.slice(lowerBound(keys, `${namespace}/`), lowerBound(keys, `${namespace}0`));
      for (const key of inNamespace) {
        const object = bucket.objects.get(key);
        if (object !== undefined) this.removeObject(bucket.type, bucket, key, object);
      }
    }
  }

  /** Deleting a CRD deletes its custom objects and stops serving the resource. */
  private dropCustomResources(crd: KubeObject): void {
    let defined: ResourceType;
    try {
      defined = resourceTypeFromCrd(crd);
    } catch {
      return;
    }
    const bucket = this.buckets.get(groupKindKey(defined.group, defined.kind));
    if (bucket !== undefined) {
      for (const key of [...this.sortedKeys(bucket)])
        this.removeObject(bucket.type, bucket, key, bucket.objects.get(key)!);
      this.buckets.delete(groupKindKey(defined.group, defined.kind));
    }
    this.registry.remove(defined);
  }

  private emit(
    type: WatchEventType,
    resource: ResourceType,
    object: KubeObject,
    previous: KubeObject | undefined,
  ): void {
    this.record(type, Number(object.metadata.resourceVersion), resource, object, previous);
  }

  private record(
    type: WatchEventType,
    revision: number,
    resource: ResourceType,
    object: KubeObject,
    previous: KubeObject | undefined,
  ): void {
    const event: StoreEvent = {
      type,
      revision,
      groupKind: groupKindKey(resource.group, resource.kind),
      object,
      previous,
    };
    this.log.append(event);
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // A broken listener (e.g. a watch whose socket died mid-write) must not fail the write itself.
        process.emitWarning(
          `sim store listener failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }
}
