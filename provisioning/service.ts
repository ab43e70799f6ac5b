/**
 * The provisioning service (docs/provisioning.md): O2 IMS templates, provisioning requests and node clusters
 * over Crossplane composites on the management cluster. A request IS its composite: its id, description and
 * template are the composite's labels and annotations, its parameters `spec.parameters`, its phase derived
 * from the composite's conditions, its kubeconfig Secret and the join (phases.ts). So every replica answers
 * the same, and a restarted gateway resumes from the composites (nothing duplicated, nothing lost).
 *
 * Changes — from the watches, and from the clock (a request times out) — are re-evaluated every `tickMs`,
 * drive auto-join, and are emitted to the GraphQL subscription.
 */
import { EventEmitter, on } from 'node:events';
import type { Logger } from 'pino';
import { graphError } from '../common/errors.ts';
import { isUuid } from '../o2/ids.ts';
import type { AutoJoin } from './auto-join.ts';
import type { CompositeStore } from './management-cluster.ts';
import {
  DEFAULT_TEMPLATE_TIMEOUT_SECONDS,
  REQUEST_DESCRIPTION_ANNOTATION,
  REQUEST_ID_LABEL,
  TEMPLATE_NAME_LABEL,
  TEMPLATE_VERSION_LABEL,
  type CompositeType,
  type KubeObject,
  type ProvisioningRequestData,
  type ProvisioningRequestView,
  type Template,
} from './model.ts';
import { nodeClusterIdOf, nodeClusterOf, type NodeClusterView } from './node-clusters.ts';
import { derivePhase } from './phases.ts';
import { schemaDefaults } from './templates.ts';
import { validateParameters, validateRequestData } from './validation.ts';

export const DEFAULT_SYNC_GRACE_SECONDS = 60;

export interface ProvisioningChange {
  readonly changeKind: 'CREATE' | 'UPDATE' | 'DELETE';
  readonly provisioningRequestId: string;
  /** The request after the change; its last state for DELETE. */
  readonly request: ProvisioningRequestView;
}

export interface ProvisioningServiceOptions {
  readonly composites: CompositeStore;
  readonly joins: AutoJoin;
  readonly logger: Logger;
  /** How long a composite may stay unobserved or un-synced before its request is FAILED. */
  readonly syncGraceSeconds?: number;
  /** Re-evaluation period (clock-driven phase changes, lease renewal). Default 1 s. */
  readonly tickMs?: number;
  /** NF instances (ids) deployed on a cluster: a cluster that has some is not deleted without force. */
  readonly nfInstancesOn: (clusterId: string) => Promise<readonly string[]>;
  /** Clusters registered by other means (configuration, admin API): their names are taken. */
  readonly clusterIds: () => readonly string[];
  readonly now?: () => number;
}

interface Entry {
  readonly view: ProvisioningRequestView;
  readonly composite: KubeObject;
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function isReady(composite: KubeObject): boolean {
  const conditions = record(composite.status)['conditions'];
  return (
    Array.isArray(conditions) &&
    conditions.some((c) => record(c)['type'] === 'Ready' && record(c)['status'] === 'True')
  );
}

export class ProvisioningService {
  readonly #options: ProvisioningServiceOptions;
  readonly #now: () => number;
  readonly #events = new EventEmitter();
  /** The last state seen of each request, for change events and updateTime. */
  #last = new Map<string, ProvisioningRequestView>();
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #reconciling: Promise<void> | undefined;
  #again = false;

  constructor(options: ProvisioningServiceOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#events.setMaxListeners(0);
  }

  start(): void {
    this.#unsubscribe = this.#options.composites.onChange(() => this.#kick());
    this.#timer = setInterval(() => this.#kick(), this.#options.tickMs ?? 1000);
    this.#timer.unref();
    this.#kick();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#unsubscribe?.();
    await this.#reconciling;
    this.#events.emit('close');
  }

  // ---- templates -------------------------------------------------------------------------------------

  templates(): readonly Template[] {
    return this.#options.composites.templates();
  }

  /** By artifactResourceId or `<name>.<version>`. */
  template(id: string): Template {
    const template = this.templates().find((t) => t.templateId === id || `${t.name}.${t.version}` === id);
    if (template === undefined)
      throw graphError('NOT_FOUND', 'no managed infrastructure template has this id');
    return template;
  }

  templateDefaults(id: string): Record<string, unknown> {
    return schemaDefaults(this.template(id).parameterSchema);
  }

  // ---- requests --------------------------------------------------------------------------------------

  requests(): ProvisioningRequestView[] {
    return this.#entries().map((e) => e.view);
  }

  request(id: string): ProvisioningRequestView {
    return this.#entry(id).view;
  }

  async create(body: unknown): Promise<ProvisioningRequestView> {
    const data = validateRequestData(body);
    const template = this.#templateFor(data);
    const entries = this.#entries();
    if (entries.some((e) => e.view.data.provisioningRequestId === data.provisioningRequestId))
      throw graphError('CONFLICT', `a provisioning request with id ${data.provisioningRequestId} exists`);
    if (entries.some((e) => e.view.clusterId === data.name) || this.#options.clusterIds().includes(data.name))
      throw graphError('CONFLICT', `a cluster named ${data.name} exists already`);
    validateParameters(template, data.templateParameters);
    const composite = this.#compositeOf(data, template);
    await this.#options.composites.create(template.compositeType, composite);
    const view: ProvisioningRequestView = {
      data,
      clusterId: data.name,
      nodeClusterId: null,
      status: {
        provisioningPhase: 'PENDING',
        message: 'the composite is created and awaits Crossplane',
        updateTime: new Date(this.#now()).toISOString(),
      },
    };
    this.#kick();
    return view;
  }

  async replace(id: string, body: unknown): Promise<ProvisioningRequestView> {
    const data = validateRequestData(body);
    if (data.provisioningRequestId !== id)
      throw graphError('UNPROCESSABLE', 'provisioningRequestId of the body differs from the one in the path');
    const { composite, view } = this.#entry(id);
    if (view.status.provisioningPhase === 'DELETING')
      throw graphError('CONFLICT', 'the provisioning request is being deleted');
    if (data.name !== view.data.name)
      throw graphError('UNPROCESSABLE', 'name is the cluster name and cannot change');
    const template = this.#templateFor(data);
    const current = this.#typeOf(composite);
    if (
      current === undefined ||
      template.compositeType.kind !== current.kind ||
      template.compositeType.group !== current.group
    )
      throw graphError(
        'UNPROCESSABLE',
        `template ${data.templateName}.${data.templateVersion} composes another kind of resource`,
      );
    validateParameters(template, data.templateParameters);
    const next = this.#compositeOf(data, template);
    await this.#options.composites.replace(template.compositeType, {
      ...next,
      metadata: { ...next.metadata, resourceVersion: composite.metadata?.resourceVersion ?? '' },
      status: composite.status,
    });
    this.#kick();
    return {
      ...view,
      data,
      status: {
        provisioningPhase: 'PROGRESSING',
        message: 'the change is being applied',
        updateTime: new Date(this.#now()).toISOString(),
      },
    };
  }

  /** Starts the deletion (202): the request shows DELETING until its composite is gone, then 404. */
  async delete(id: string, force: boolean): Promise<ProvisioningRequestView> {
    const { composite, view } = this.#entry(id);
    if (view.status.provisioningPhase === 'DELETING') return view;
    if (!force) {
      const instances = await this.#options.nfInstancesOn(view.clusterId);
      if (instances.length > 0)
        throw graphError(
          'CONFLICT',
          `cluster ${view.clusterId} still runs NF instances ${instances.join(', ')}: terminate and delete them first, or delete with force`,
          { nfInstanceIds: [...instances] },
        );
    }
    const type = this.#typeOf(composite);
    if (type === undefined)
      throw graphError('UNPROCESSABLE', 'the template of this request is gone from the management cluster');
    await this.#options.composites.delete(type, view.clusterId);
    this.#kick();
    return {
      ...view,
      status: {
        provisioningPhase: 'DELETING',
        message: `cluster ${view.clusterId} is being deleted`,
        updateTime: new Date(this.#now()).toISOString(),
      },
    };
  }

  /** Changes of provisioning requests from now on (the graphql-ws subscription). */
  async *changes(signal?: AbortSignal): AsyncGenerator<ProvisioningChange> {
    const stream = on(this.#events, 'change', {
      ...(signal === undefined ? {} : { signal }),
      close: ['close'],
    });
    try {
      for await (const [change] of stream) yield change as ProvisioningChange;
    } catch (error) {
      if ((error as Error).name !== 'AbortError') throw error;
    }
  }

  // ---- node clusters ---------------------------------------------------------------------------------

  nodeClusters(): NodeClusterView[] {
    const provisioned = new Map(this.#entries().map((e) => [e.view.clusterId, e.view]));
    const ids = new Set(this.#options.clusterIds());
    return [...ids].sort().map((clusterId) => {
      const request = provisioned.get(clusterId);
      const template =
        request === undefined
          ? undefined
          : this.#findTemplate(request.data.templateName, request.data.templateVersion);
      return nodeClusterOf(
        clusterId,
        request === undefined
          ? undefined
          : {
              provisioningRequestId: request.data.provisioningRequestId,
              templateId: template?.templateId ?? null,
            },
      );
    });
  }

  nodeCluster(id: string): NodeClusterView {
    const found = this.nodeClusters().find((c) => c.nodeClusterId === id);
    if (found === undefined) throw graphError('NOT_FOUND', 'no node cluster has this id');
    return found;
  }

  // ---- internals -------------------------------------------------------------------------------------

  #findTemplate(name: string, version: string): Template | undefined {
    return this.templates().find((t) => t.name === name && t.version === version);
  }

  #templateFor(data: ProvisioningRequestData): Template {
    const template = this.#findTemplate(data.templateName, data.templateVersion);
    if (template === undefined)
      throw graphError(
        'UNPROCESSABLE',
        `no managed infrastructure template ${data.templateName}.${data.templateVersion}; known: ${
          this.templates()
            .map((t) => `${t.name}.${t.version}`)
            .join(', ') || 'none'
        }`,
      );
    return template;
  }

  #typeOf(composite: KubeObject): CompositeType | undefined {
    const [group, version] = (composite.apiVersion ?? '').split('/');
    const known = this.templates().find(
      (t) => t.compositeType.group === group && t.compositeType.kind === composite.kind,
    );
    return known === undefined
      ? undefined
      : { ...known.compositeType, version: version ?? known.compositeType.version };
  }

  #compositeOf(
    data: ProvisioningRequestData,
    template: Template,
  ): KubeObject & { metadata: NonNullable<KubeObject['metadata']> } {
    const t = template.compositeType;
    return {
      apiVersion: `${t.group}/${t.version}`,
      kind: t.kind,
      metadata: {
        name: data.name,
        namespace: this.#options.composites.namespace,
        labels: {
          [REQUEST_ID_LABEL]: data.provisioningRequestId,
          [TEMPLATE_NAME_LABEL]: data.templateName,
          [TEMPLATE_VERSION_LABEL]: data.templateVersion,
        },
        annotations: { [REQUEST_DESCRIPTION_ANNOTATION]: data.description },
      },
      spec: {
        parameters: data.templateParameters,
        // Crossplane v2: the composite names its Composition itself (no claim).
        crossplane: { compositionRef: { name: template.compositionName } },
      },
    };
  }

  #entry(id: string): Entry {
    const entry = isUuid(id)
      ? this.#entries().find((e) => e.view.data.provisioningRequestId === id)
      : undefined;
    if (entry === undefined) throw graphError('NOT_FOUND', 'no provisioning request has this id');
    return entry;
  }

  #entries(): Entry[] {
    const { composites, joins } = this.#options;
    const grace = this.#options.syncGraceSeconds ?? DEFAULT_SYNC_GRACE_SECONDS;
    const now = this.#now();
    const entries: Entry[] = [];
    for (const composite of composites.composites()) {
      const labels = composite.metadata?.labels ?? {};
      const id = labels[REQUEST_ID_LABEL];
      const name = composite.metadata?.name;
      if (id === undefined || name === undefined) continue;
      const templateName = labels[TEMPLATE_NAME_LABEL] ?? '';
      const templateVersion = labels[TEMPLATE_VERSION_LABEL] ?? '';
      const template = this.#findTemplate(templateName, templateVersion);
      const derived = derivePhase({
        composite,
        secretExists: composites.secret(`${name}-kubeconfig`) !== undefined,
        join: { registered: joins.registered(name), synced: joins.joined(name) },
        timeoutSeconds: template?.timeoutSeconds ?? DEFAULT_TEMPLATE_TIMEOUT_SECONDS,
        syncGraceSeconds: grace,
        now,
      });
      const last = this.#last.get(id);
      const same =
        last?.status.provisioningPhase === derived.phase && last.status.message === derived.message;
      entries.push({
        composite,
        view: {
          clusterId: name,
          nodeClusterId: derived.phase === 'FULFILLED' ? nodeClusterIdOf(name) : null,
          data: {
            provisioningRequestId: id,
            name,
            description: composite.metadata?.annotations?.[REQUEST_DESCRIPTION_ANNOTATION] ?? '',
            templateName,
            templateVersion,
            templateParameters: record(record(composite.spec)['parameters']),
          },
          status: {
            provisioningPhase: derived.phase,
            message: derived.message,
            // The phase may change without a condition transition (the join): then its time is when seen.
            updateTime: same
              ? last.status.updateTime
              : last === undefined
                ? derived.since
                : new Date(now).toISOString(),
          },
        },
      });
    }
    return entries.sort((a, b) =>
      a.view.data.provisioningRequestId.localeCompare(b.view.data.provisioningRequestId),
    );
  }

  /** The clusters to join: Ready (or joined already, so a re-patch keeps the shard) with a kubeconfig Secret. */
  #wanted(entries: readonly Entry[]): Map<string, string> {
    const wanted = new Map<string, string>();
    for (const { composite, view } of entries) {
      if (view.status.provisioningPhase === 'DELETING' || view.status.provisioningPhase === 'FAILED')
        continue;
      if (!isReady(composite) && !this.#options.joins.joined(view.clusterId)) continue;
      const data = this.#options.composites.secret(`${view.clusterId}-kubeconfig`)?.data?.['kubeconfig'];
      if (data === undefined) continue;
      wanted.set(view.clusterId, Buffer.from(data, 'base64').toString('utf8'));
    }
    return wanted;
  }

  #kick(): void {
    if (this.#reconciling !== undefined) {
      this.#again = true;
      return;
    }
    this.#reconciling = this.#reconcile()
      .catch((error: unknown) => this.#options.logger.warn({ err: error }, 'provisioning reconcile failed'))
      .finally(() => {
        this.#reconciling = undefined;
        if (this.#again) {
          this.#again = false;
          this.#kick();
        }
      });
  }

  async #reconcile(): Promise<void> {
    // Changes are announced before and after the joins: a join or leave takes a while, and a short-lived
    // phase (DELETING) must not be skipped meanwhile.
    const entries = this.#entries();
    this.#announce(entries);
    await this.#options.joins.reconcile(this.#wanted(entries));
    this.#announce(this.#entries());
  }

  #announce(entries: readonly Entry[]): void {
    const next = new Map(entries.map((e) => [e.view.data.provisioningRequestId, e.view]));
    for (const [id, view] of next) {
      const last = this.#last.get(id);
      if (last !== undefined && JSON.stringify(last) === JSON.stringify(view)) continue;
      this.#events.emit('change', {
        changeKind: last === undefined ? 'CREATE' : 'UPDATE',
        provisioningRequestId: id,
        request: view,
      });
    }
    for (const [id, view] of this.#last)
      if (!next.has(id))
        this.#events.emit('change', { changeKind: 'DELETE', provisioningRequestId: id, request: view });
    this.#last = next;
  }
}
