/**
 * The management cluster as provisioning reads and writes it (docs/provisioning.md "Crossplane"): watches of
 * the XRDs and Compositions (cluster-scoped), of the composites of every templated composite type and of the
 * Secrets in the provisioning namespace, and writes of composites. Everything provisioning shows is rebuilt
 * from these watches after a restart: nothing lives only in memory.
 *
 * client-node informers stop on the first error; each is restarted after a pause (the cache survives).
 */
import {
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  makeInformer,
  type Informer,
  type ObjectCache,
} from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { graphError } from '../common/errors.ts';
import type { CompositeType, KubeObject, Template } from './model.ts';
import { templatesOf } from './templates.ts';

export const CROSSPLANE_GROUP = 'apiextensions.crossplane.io';
const RESTART_DELAY_MS = 1000;

type Watched = Informer<KubernetesObject> & ObjectCache<KubernetesObject>;

/** What the provisioning service needs of the management cluster (an interface, so tests can fake it). */
export interface CompositeStore {
  templates(): readonly Template[];
  composites(): readonly KubeObject[];
  secret(name: string): KubeObject | undefined;
  readonly namespace: string;
  create(type: CompositeType, body: KubeObject): Promise<void>;
  replace(type: CompositeType, body: KubeObject): Promise<void>;
  delete(type: CompositeType, name: string): Promise<void>;
  /** Called after any watched object changed. */
  onChange(listener: () => void): () => void;
}

export interface ManagementClusterOptions {
  readonly kubeConfig: KubeConfig;
  /** Where composites and their kubeconfig Secrets live. */
  readonly namespace: string;
  readonly logger: Logger;
}

function statusOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

export class ManagementCluster implements CompositeStore {
  readonly namespace: string;
  readonly #custom: CustomObjectsApi;
  readonly #core: CoreV1Api;
  readonly #options: ManagementClusterOptions;
  readonly #listeners = new Set<() => void>();
  readonly #composites = new Map<string, Watched>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #restarting = new Set<Watched>();
  readonly #names = new Map<Watched, string>();
  #templates: readonly Template[] = [];
  #stopped = false;
  readonly #xrds: Watched;
  readonly #compositions: Watched;
  readonly #secrets: Watched;

  constructor(options: ManagementClusterOptions) {
    this.#options = options;
    this.namespace = options.namespace;
    this.#custom = options.kubeConfig.makeApiClient(CustomObjectsApi);
    this.#core = options.kubeConfig.makeApiClient(CoreV1Api);
    const list = (group: string, plural: string) => () =>
      this.#custom.listClusterCustomObject({ group, version: 'v1', plural }) as Promise<
        KubernetesListObject<KubernetesObject>
      >;
    this.#xrds = this.#watch(
      'xrds',
      `/apis/${CROSSPLANE_GROUP}/v1/compositeresourcedefinitions`,
      list(CROSSPLANE_GROUP, 'compositeresourcedefinitions'),
    );
    this.#compositions = this.#watch(
      'compositions',
      `/apis/${CROSSPLANE_GROUP}/v1/compositions`,
      list(CROSSPLANE_GROUP, 'compositions'),
    );
    this.#secrets = this.#watch('secrets', `/api/v1/namespaces/${options.namespace}/secrets`, () =>
      this.#core.listNamespacedSecret({ namespace: options.namespace }),
    );
  }

  /** Starts the watches; resolves once the first lists are in (templates and composites known). */
  async start(): Promise<void> {
    await Promise.all([this.#start(this.#xrds), this.#start(this.#compositions), this.#start(this.#secrets)]);
    this.#refreshTemplates();
    await Promise.all([...this.#composites.values()].map((informer) => this.#start(informer)));
  }

  /** Starts (or restarts) a watch; a failed first list is retried like a failed watch. */
  #start(informer: Watched): Promise<void> {
    return informer.start().catch((error: unknown) => this.#restartLater(informer, error));
  }

  /** One pending restart per watch, however many ways its failure is reported. */
  #restartLater(informer: Watched, error: unknown): void {
    if (this.#stopped || this.#restarting.has(informer)) return;
    this.#restarting.add(informer);
    this.#options.logger.warn(
      { err: error, watch: this.#names.get(informer) },
      'management cluster watch failed; restarting',
    );
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#restarting.delete(informer);
      if (!this.#stopped) void this.#start(informer);
    }, RESTART_DELAY_MS);
    this.#timers.add(timer);
  }

  #watch(name: string, path: string, listFn: () => Promise<KubernetesListObject<KubernetesObject>>): Watched {
    const informer = makeInformer(this.#options.kubeConfig, path, listFn);
    const changed = (): void => {
      if (name === 'xrds' || name === 'compositions') this.#refreshTemplates();
      for (const listener of this.#listeners) listener();
    };
    informer.on('add', changed);
    informer.on('update', changed);
    informer.on('delete', changed);
    informer.on('error', (error: unknown) => this.#restartLater(informer, error));
    this.#names.set(informer, name);
    return informer;
  }

  /** Templates from the current XRDs and Compositions; a newly templated composite type gets its watch. */
  #refreshTemplates(): void {
    this.#templates = templatesOf(
      this.#compositions.list() as KubeObject[],
      this.#xrds.list() as KubeObject[],
    );
    for (const { compositeType: t } of this.#templates) {
      const key = `${t.group}/${t.version}/${t.plural}`;
      if (this.#composites.has(key)) continue;
      const informer = this.#watch(
        `composites ${key}`,
        `/apis/${t.group}/${t.version}/namespaces/${this.namespace}/${t.plural}`,
        () =>
          this.#custom.listNamespacedCustomObject({
            group: t.group,
            version: t.version,
            namespace: this.namespace,
            plural: t.plural,
          }) as Promise<KubernetesListObject<KubernetesObject>>,
      );
      this.#composites.set(key, informer);
      if (!this.#stopped) void this.#start(informer);
    }
  }

  templates(): readonly Template[] {
    return this.#templates;
  }

  composites(): readonly KubeObject[] {
    return [...this.#composites.values()].flatMap((informer) => informer.list() as KubeObject[]);
  }

  secret(name: string): KubeObject | undefined {
    return this.#secrets.get(name, this.namespace) as KubeObject | undefined;
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async create(type: CompositeType, body: KubeObject): Promise<void> {
    await this.#write(() =>
      this.#custom.createNamespacedCustomObject({
        group: type.group,
        version: type.version,
        namespace: this.namespace,
        plural: type.plural,
        body,
      }),
    );
  }

  async replace(type: CompositeType, body: KubeObject): Promise<void> {
    await this.#write(() =>
      this.#custom.replaceNamespacedCustomObject({
        group: type.group,
        version: type.version,
        namespace: this.namespace,
        plural: type.plural,
        name: body.metadata?.name ?? '',
        body,
      }),
    );
  }

  async delete(type: CompositeType, name: string): Promise<void> {
    await this.#write(() =>
      this.#custom.deleteNamespacedCustomObject({
        group: type.group,
        version: type.version,
        namespace: this.namespace,
        plural: type.plural,
        name,
      }),
    );
  }

  /** A write, its refusals as coded errors (409 conflicts, 404 gone); anything else is the cluster's fault. */
  async #write(work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      const status = statusOf(error);
      if (status === 409)
        throw graphError(
          'CONFLICT',
          'the management cluster already has this composite (or it changed meanwhile)',
        );
      if (status === 404) throw graphError('NOT_FOUND', 'the composite is gone from the management cluster');
      if (status === 422 || status === 400)
        throw graphError(
          'UNPROCESSABLE',
          `the management cluster refused the composite: ${(error as Error).message}`,
        );
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    const informers = [this.#xrds, this.#compositions, this.#secrets, ...this.#composites.values()];
    await Promise.all(informers.map((informer) => informer.stop()));
  }
}
