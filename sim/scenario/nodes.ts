/**
 * Expands a node template into the Node a real cluster would show: labels from the kubelet, Node Feature
 * Discovery and GPU Feature Discovery, capacity and allocatable, healthy conditions, addresses, nodeInfo,
 * and netweave's asset annotations (vendor, model, unique serial number).
 */
import type { KubeObject } from '../types.ts';
import { stableChars, stableHex, stableUid } from './determinism.ts';
import { CONTROL_PLANE_TAINT, healthyConditions } from './node-conditions.ts';
import { parseQuantity, toKi } from './quantity.ts';
import type { NodeTemplate } from './schema.ts';

export interface NodeContext {
  readonly cluster: string;
  readonly region: string;
  readonly kubernetesVersion: string;
  readonly poolLabel: string;
  /** The node's InternalIP and its pod CIDR. */
  readonly internalIp: string;
  readonly podCidr: string;
  /** Position of the node in its group: picks its zone round-robin. */
  readonly groupIndex: number;
  /** Serial numbers handed out so far in the scenario (kept unique). */
  readonly serials: Set<string>;
  readonly os: { readonly image: string; readonly kernel: string; readonly runtime: string };
}

const SERIAL_ALPHABET = '0123456789BCDFGHJKLMNPQRSTVWXYZ';

/** Label values allow no spaces: `Dell Inc.` becomes `Dell-Inc` (the annotation keeps the real text). */
export function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
    .slice(0, 63)
    .replace(/[^A-Za-z0-9]+$/, '');
}

function serialNumber(context: NodeContext, name: string, vendor: string): string {
  // Dell service tags are 7 characters; other vendors' serials are longer.
  const length = /dell/i.test(vendor) ? 7 : 10;
  for (let round = 0; ; round++) {
    const serial = stableChars(length, SERIAL_ALPHABET, context.cluster, name, 'serial', String(round));
    if (!context.serials.has(serial)) {
      context.serials.add(serial);
      return serial;
    }
  }
}

function featureLabels(template: NodeTemplate, os: NodeContext['os']): Record<string, string> {
  const nfd = 'feature.node.kubernetes.io';
  const labels: Record<string, string> = {
    [`${nfd}/cpu-model.vendor_id`]: template.cpu.vendor,
    [`${nfd}/cpu-model.family`]: template.cpu.family,
    [`${nfd}/cpu-model.id`]: template.cpu.model,
  };
  for (const flag of template.cpu.flags) labels[`${nfd}/cpu-cpuid.${flag}`] = 'true';
  const kernel = /^(\d+)\.(\d+)\.(\d+)/.exec(os.kernel);
  labels[`${nfd}/kernel-version.full`] = labelValue(os.kernel);
  if (kernel) {
    labels[`${nfd}/kernel-version.major`] = kernel[1]!;
    labels[`${nfd}/kernel-version.minor`] = kernel[2]!;
    labels[`${nfd}/kernel-version.revision`] = kernel[3]!;
  }
  const release = /^(\S+)\s+(\d+(?:\.\d+)?)/.exec(os.image);
  if (release) {
    labels[`${nfd}/system-os_release.ID`] = release[1]!.toLowerCase();
    labels[`${nfd}/system-os_release.VERSION_ID`] = release[2]!;
  }
  if (
    /intel/i.test(template.cpu.vendor) ||
    Object.keys(template.extendedResources).some((r) => r.startsWith('intel.com/'))
  ) {
    labels[`${nfd}/pci-8086.present`] = 'true';
  }
  if (Object.keys(template.extendedResources).some((r) => /sriov/i.test(r)))
    labels[`${nfd}/network-sriov.capable`] = 'true';
  if (template.gpu !== undefined) {
    labels[`${nfd}/pci-10de.present`] = 'true';
    labels['nvidia.com/gpu.present'] = 'true';
    labels['nvidia.com/gpu.product'] = labelValue(template.gpu.product);
    labels['nvidia.com/gpu.memory'] = String(template.gpu.memoryMiB);
    labels['nvidia.com/gpu.count'] = String(template.gpu.count);
    labels['nvidia.com/gpu.machine'] = labelValue(template.model);
    if (template.gpu.family !== undefined) labels['nvidia.com/gpu.family'] = labelValue(template.gpu.family);
  }
  return labels;
}

function resources(template: NodeTemplate): {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
} {
  const memory = parseQuantity(template.memory);
  const storage = parseQuantity(template.ephemeralStorage);
  const capacity: Record<string, string> = {
    cpu: String(template.cpu.count),
    'ephemeral-storage': toKi(storage),
    'hugepages-1Gi': '0',
    'hugepages-2Mi': '0',
    memory: toKi(memory),
    pods: String(template.pods),
  };
  // Allocatable = capacity minus system/kube reservations and the eviction threshold, as kubelets report.
  const allocatable: Record<string, string> = {
    ...capacity,
    cpu: `${template.cpu.count * 1000 - 500}m`,
    'ephemeral-storage': String(Math.floor(storage * 0.9)),
    memory: toKi(memory - 2 ** 30 - 100 * 2 ** 20),
  };
  if (template.gpu !== undefined) {
    capacity['nvidia.com/gpu'] = String(template.gpu.count);
    allocatable['nvidia.com/gpu'] = String(template.gpu.count);
  }
  for (const [name, amount] of Object.entries(template.extendedResources)) {
    capacity[name] = amount;
    allocatable[name] = amount;
  }
  return { capacity, allocatable };
}

export function expandNode(template: NodeTemplate, name: string, context: NodeContext): KubeObject {
  const zones = template.zones ?? [`${context.region}-a`];
  const os = template.os ?? context.os;
  const controlPlane = template.role !== 'worker';
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': template.arch,
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': template.arch,
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': template.instanceType,
    'topology.kubernetes.io/region': context.region,
    'topology.kubernetes.io/zone': zones[context.groupIndex % zones.length]!,
    [context.poolLabel]: template.pool,
    'netweave.io/vendor': labelValue(template.vendor),
    'netweave.io/model': labelValue(template.model),
    ...featureLabels(template, os),
  };
  if (controlPlane) labels['node-role.kubernetes.io/control-plane'] = '';
  if (template.role !== 'control-plane') labels['node-role.kubernetes.io/worker'] = '';
  Object.assign(labels, template.labels);

  const taints: Array<Record<string, string>> =
    template.role === 'control-plane' ? [{ ...CONTROL_PLANE_TAINT }] : [];
  for (const taint of template.taints)
    taints.push({
      key: taint.key,
      ...(taint.value === undefined ? {} : { value: taint.value }),
      effect: taint.effect,
    });

  const spec: Record<string, unknown> = { podCIDR: context.podCidr, podCIDRs: [context.podCidr] };
  if (taints.length > 0) spec['taints'] = taints;

  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: stableUid(context.cluster, 'Node', name),
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        'netweave.io/serial-number': serialNumber(context, name, template.vendor),
        'netweave.io/vendor': template.vendor,
        'netweave.io/model': template.model,
        ...template.annotations,
      },
    },
    spec,
    status: {
      ...resources(template),
      conditions: healthyConditions(),
      addresses: [
        { type: 'InternalIP', address: context.internalIp },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: stableHex(32, context.cluster, name, 'machine-id'),
        systemUUID: stableUid(context.cluster, name, 'system-uuid').toUpperCase(),
        bootID: stableUid(context.cluster, name, 'boot-id'),
        kernelVersion: os.kernel,
        osImage: os.image,
        containerRuntimeVersion: os.runtime,
        kubeletVersion: context.kubernetesVersion,
        kubeProxyVersion: context.kubernetesVersion,
        operatingSystem: 'linux',
        architecture: template.arch,
      },
    },
  };
}

/** The heartbeat Lease a kubelet keeps in kube-node-lease (owned by its Node, so it goes with it). */
export function nodeLease(node: KubeObject): KubeObject {
  const name = node.metadata.name;
  const uid = node.metadata.uid ?? stableUid('node', name);
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: 'kube-node-lease',
      uid: stableUid('lease', uid),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid }],
    },
    spec: { holderIdentity: name, leaseDurationSeconds: 40 },
  };
}
