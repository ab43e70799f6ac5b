/**
 * NF deployments: the Helm releases of this cluster that the O2 DMS made for VNF instances (docs/dms.md
 * "Deployments in the graph"). A release is one when a VNF instance record of this cluster names it (its
 * `releaseName` and namespace); every other release is foreign: shown as a HelmRelease, never as a VNF
 * instance. The records come from the state store, read at most once per request.
 */
import {
  LifecycleLedger,
  visibleIn,
  type OccurrenceRecord,
  type VnfInstanceRecord,
} from '../../dms/lifecycle/index.ts';
import type { StateStore } from '../../state/store.ts';
import type { HelmRelease } from './helm-releases.ts';

export interface NfDeployment {
  readonly clusterId: string;
  readonly vnfInstanceId: string;
  readonly vnfInstanceName: string | null;
  readonly vnfdId: string;
  readonly vnfPkgId: string;
  readonly flavourId: string | null;
  readonly instantiationState: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly release: HelmRelease;
  /** The instance's occurrences, oldest first. */
  readonly occurrenceIds: readonly string[];
}

/** The DMS records the subgraph reads (the lifecycle ledger's collections). */
export interface DmsRecordSource {
  instances(): Promise<readonly VnfInstanceRecord[]>;
  occurrences(): Promise<readonly OccurrenceRecord[]>;
}

export function dmsRecordsOf(store: StateStore): DmsRecordSource {
  const ledger = new LifecycleLedger(store, () => new Date());
  return {
    instances: async () => (await ledger.instances.list()).map((entry) => entry.doc),
    occurrences: async () => (await ledger.occurrences.list()).map((entry) => entry.doc),
  };
}

/** The DMS records of one request: instances by release, occurrences by instance. */
export interface NfIndex {
  instanceOf(release: HelmRelease): VnfInstanceRecord | undefined;
  occurrencesOf(instanceId: string): readonly OccurrenceRecord[];
}

export async function loadNfIndex(
  source: DmsRecordSource | undefined,
  clusterId: string,
  tenant: string,
): Promise<NfIndex> {
  const [instances, occurrences] =
    source === undefined ? [[], []] : await Promise.all([source.instances(), source.occurrences()]);
  const byRelease = new Map<string, VnfInstanceRecord>();
  for (const instance of instances) {
    // A tenant sees its own instances only; another tenant's release is then just a HelmRelease.
    if (instance.clusterId !== clusterId || !visibleIn({ tenant }, instance)) continue;
    byRelease.set(`${instance.namespace ?? ''}\u0000${instance.releaseName}`, instance);
  }
  const byInstance = new Map<string, OccurrenceRecord[]>();
  for (const occurrence of occurrences) {
    let list = byInstance.get(occurrence.vnfInstanceId);
    if (list === undefined) byInstance.set(occurrence.vnfInstanceId, (list = []));
    list.push(occurrence);
  }
  for (const list of byInstance.values())
    list.sort((a, b) => (a.startTime < b.startTime ? -1 : a.startTime > b.startTime ? 1 : 0));
  return {
    instanceOf: (release) => byRelease.get(`${release.namespace}\u0000${release.name}`),
    occurrencesOf: (instanceId) => byInstance.get(instanceId) ?? [],
  };
}

export function nfDeploymentOf(index: NfIndex, release: HelmRelease): NfDeployment | null {
  const instance = index.instanceOf(release);
  if (instance === undefined) return null;
  return {
    clusterId: release.clusterId,
    vnfInstanceId: instance.id,
    vnfInstanceName: instance.vnfInstanceName ?? null,
    vnfdId: instance.vnfdId,
    vnfPkgId: instance.vnfPkgId,
    flavourId: instance.instantiatedVnfInfo?.flavourId ?? null,
    instantiationState: instance.instantiationState,
    releaseName: release.name,
    namespace: release.namespace,
    release,
    occurrenceIds: index.occurrencesOf(instance.id).map((occurrence) => occurrence.id),
  };
}
