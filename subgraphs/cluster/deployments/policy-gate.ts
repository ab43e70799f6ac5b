/**
 * Deployment policy at the door of a job (docs/dms.md "Policy"): before the runner takes a STARTING
 * occurrence to PROCESSING, an instantiation or a day-2 operation that changes size (SCALE, SCALE_TO_LEVEL,
 * CHANGE_FLAVOUR, CHANGE_VNFPKG) is rendered with `helm template` — the chart and values the operation will
 * apply — and checked against the policies in the state store (dms/lifecycle/policy.ts). A refusal ends the
 * occurrence ROLLED_BACK with a 422 `error` naming the rule; nothing has touched the cluster. An admission
 * records the instance's new footprint, which later requests count.
 *
 * Rendering that fails (a broken chart) admits: the operation itself then fails with Helm's own words.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { V1Node } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import {
  POLICY_LEASE,
  PolicyStore,
  evaluatePolicies,
  isPlainObject,
  mergePatch,
  refusalDetail,
  type LifecycleLedger,
  type OccurrenceRecord,
  type PackageCatalog,
  type PlacementNode,
  type VnfInstanceRecord,
} from '../../../dms/lifecycle/index.ts';
import { wholeUnits } from '../../../common/quantity.ts';
import type { StateStore } from '../../../state/store.ts';
import { HelmError, type HelmCli } from './helm-cli.ts';
import { planInstantiation, problem } from './operations.ts';
import type { WorkloadView } from './readiness.ts';
import type { UpgradePlan } from './day2.ts';
import { renderedFootprint } from './rendered.ts';

const GATED = new Set(['INSTANTIATE', 'SCALE', 'SCALE_TO_LEVEL', 'CHANGE_FLAVOUR', 'CHANGE_VNFPKG']);
/** Standard resources; every other allocatable resource of a node is an accelerator/device for placement. */
const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'pods', 'ephemeral-storage', 'storage']);

export interface PolicyGateDeps {
  readonly clusterId: string;
  readonly store: StateStore;
  readonly ledger: LifecycleLedger;
  readonly packages: PackageCatalog;
  readonly helm: HelmCli;
  readonly workloads: WorkloadView;
  readonly home: string;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly sleep: (ms: number) => Promise<void>;
  /** The cluster's O-Cloud site (name and oCloudSiteId), for `placement.allowedSites`. */
  readonly site?: { readonly name: string; readonly id: string };
  /** Node label naming a node's resource pool. */
  readonly poolLabel: string;
  /** The upgrade a day-2 occurrence will apply (day2.ts). */
  readonly planUpgrade: (
    occurrence: OccurrenceRecord,
    instance: VnfInstanceRecord,
  ) => Promise<UpgradePlan | undefined>;
}

function isReady(node: V1Node): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function placementNodeOf(node: V1Node, poolLabel: string): PlacementNode {
  const labels = node.metadata?.labels ?? {};
  const allocatable = node.status?.allocatable ?? {};
  const pool = labels[poolLabel];
  return {
    labels,
    pool: pool === undefined || pool === '' ? 'default' : pool,
    accelerators: Object.entries(allocatable)
      .filter(([name, quantity]) => !STANDARD_RESOURCES.has(name) && wholeUnits(quantity) > 0)
      .map(([name]) => name),
  };
}

interface Rendering {
  readonly chart: Buffer;
  readonly values: unknown;
  readonly namespace: string;
  readonly vnfd: { readonly vnfdId: string; readonly vnfProvider: string; readonly vnfProductName: string };
}

export function policyGate(deps: PolicyGateDeps): {
  /** 'refused': the occurrence is ROLLED_BACK; 'admitted': go on. */
  admit(occurrence: OccurrenceRecord, instance: VnfInstanceRecord): Promise<'admitted' | 'refused'>;
} {
  const { helm, signal, ledger } = deps;
  const policies = new PolicyStore(deps.store);

  async function renderingOf(
    occurrence: OccurrenceRecord,
    instance: VnfInstanceRecord,
  ): Promise<Rendering | undefined> {
    if (occurrence.operation === 'INSTANTIATE') {
      const planned = await planInstantiation(deps.packages, occurrence, instance);
      if ('refusal' in planned) return undefined;
      return {
        chart: planned.chart,
        values: planned.computed.values,
        namespace: planned.namespace,
        vnfd: planned.descriptor,
      };
    }
    const plan = await deps.planUpgrade(occurrence, instance);
    if (plan === undefined) return undefined;
    const chart = await deps.packages.readArtifact(plan.pkgId, plan.chartPath);
    if (chart === undefined) return undefined;
    const namespace = instance.namespace ?? 'default';
    // --reuse-values / --reset-then-reuse-values: the release's given values, then the operation's.
    const given: unknown = JSON.parse(
      (await helm.run(
        ['get', 'values', instance.releaseName, '--namespace', namespace, '--output', 'json'],
        signal,
      )) || 'null',
    );
    return {
      chart,
      values: mergePatch(isPlainObject(given) ? given : {}, plan.values),
      namespace,
      vnfd: plan.descriptor,
    };
  }

  async function render(instance: VnfInstanceRecord, rendering: Rendering): Promise<string> {
    const work = await mkdtemp(join(deps.home, 'policy-'));
    try {
      const chartFile = join(work, 'chart.tgz');
      const valuesFile = join(work, 'values.json');
      await writeFile(chartFile, rendering.chart);
      await writeFile(valuesFile, JSON.stringify(rendering.values));
      return await helm.run(
        [
          'template',
          instance.releaseName,
          chartFile,
          '--namespace',
          rendering.namespace,
          '--values',
          valuesFile,
        ],
        signal,
      );
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /** The admission lease: held only while deciding and recording (no helm process inside). */
  async function withAdmissionLease<T>(owner: string, work: () => Promise<T>): Promise<T> {
    for (let tries = 0; !(await deps.store.leases.acquire(POLICY_LEASE, owner, 10_000)); tries++) {
      if (signal.aborted) throw new Error('runner stopping');
      // After ~10 s the previous holder's lease has expired anyway.
      if (tries > 100) break;
      await deps.sleep(100);
    }
    try {
      return await work();
    } finally {
      await deps.store.leases.release(POLICY_LEASE, owner).catch(() => undefined);
    }
  }

  async function admit(
    occurrence: OccurrenceRecord,
    instance: VnfInstanceRecord,
  ): Promise<'admitted' | 'refused'> {
    if (occurrence.operationState !== 'STARTING' || !GATED.has(occurrence.operation)) return 'admitted';
    const active = await policies.active();
    if (active.length === 0) return 'admitted';
    let rendering: Rendering | undefined;
    let manifest: string;
    try {
      rendering = await renderingOf(occurrence, instance);
      if (rendering === undefined) return 'admitted';
      manifest = await render(instance, rendering);
    } catch (error) {
      if (error instanceof HelmError && !error.aborted) {
        deps.logger.warn(
          { occurrenceId: occurrence.id, err: error },
          'policy: the chart could not be rendered; the operation will report it',
        );
        return 'admitted';
      }
      throw error;
    }
    const nodes = deps.workloads
      .cache('nodes')
      .list()
      .filter(isReady)
      .map((node) => placementNodeOf(node, deps.poolLabel));
    const footprint = renderedFootprint(
      manifest,
      nodes.map((n) => n.labels),
    );
    const namespace = rendering.namespace;
    const request = {
      tenant: instance.tenant,
      clusterId: deps.clusterId,
      namespace,
      vnfdId: rendering.vnfd.vnfdId,
      vnfProvider: rendering.vnfd.vnfProvider,
      vnfProductName: rendering.vnfd.vnfProductName,
      instanceId: instance.id,
      addsInstance: occurrence.operation === 'INSTANTIATE',
      footprint,
      ...(occurrence.operation === 'INSTANTIATE'
        ? { placement: { site: deps.site ?? { name: '', id: '' }, readyNodes: nodes } }
        : {}),
    };
    return withAdmissionLease(`${occurrence.id}#${occurrence.attempt}`, async () => {
      const refusal = evaluatePolicies(active, request, await policies.usageOfLiveInstances());
      if (refusal !== undefined) {
        deps.logger.info({ occurrenceId: occurrence.id, rule: refusal.rule }, 'policy: occurrence refused');
        await ledger.rolledBack(
          occurrence.id,
          occurrence.attempt,
          ['STARTING'],
          problem(422, refusalDetail(refusal)),
        );
        return 'refused';
      }
      await policies.recordUsage({
        instanceId: instance.id,
        tenant: instance.tenant,
        clusterId: deps.clusterId,
        namespace,
        ...footprint,
      });
      return 'admitted';
    });
  }

  return { admit };
}
