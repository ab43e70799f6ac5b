/**
 * What the labels and resource names of a Kubernetes node say about its hardware: the well-known label
 * keys (Kubernetes, Node Feature Discovery, NVIDIA GPU Feature Discovery, netweave's own inventory labels)
 * and how node resources divide into O2 resource elements.
 */

export const LABELS = {
  arch: 'kubernetes.io/arch',
  instanceType: 'node.kubernetes.io/instance-type',
  zone: 'topology.kubernetes.io/zone',
  region: 'topology.kubernetes.io/region',
  rolePrefix: 'node-role.kubernetes.io/',
  serverVendor: 'netweave.io/vendor',
  serverModel: 'netweave.io/model',
  cpuVendor: 'feature.node.kubernetes.io/cpu-model.vendor_id',
  cpuFamily: 'feature.node.kubernetes.io/cpu-model.family',
  cpuModelId: 'feature.node.kubernetes.io/cpu-model.id',
  gpuProduct: 'nvidia.com/gpu.product',
  gpuMemory: 'nvidia.com/gpu.memory',
  gpuCount: 'nvidia.com/gpu.count',
  gpuComputeMajor: 'nvidia.com/gpu.compute.major',
  gpuComputeMinor: 'nvidia.com/gpu.compute.minor',
} as const;

/**
 * netweave's asset annotations. Vendor and model also exist as labels, but label values cannot hold spaces
 * or dots ("Dell-Inc"): the annotations carry the exact names ("Dell Inc.") and win when both are set.
 */
export const ANNOTATIONS = {
  serialNumber: 'netweave.io/serial-number',
  serverVendor: 'netweave.io/vendor',
  serverModel: 'netweave.io/model',
} as const;

/**
 * The O2 element a node resource becomes. `pods` and attachable-volume limits are Kubernetes limits, not
 * hardware, and hugepages are carved out of memory: they appear in extensions, not as elements.
 */
export type ElementCategory = 'cpu' | 'memory' | 'storage' | 'gpu' | 'nic' | 'accelerator';

// Device plugins name SR-IOV and RDMA resources freely ("intel.com/sriov_netdevice",
// "openshift.io/mlxnics", "rdma/hca_shared_devices_a"), so networking is recognised by these words.
const NIC_WORDS = /sriov|netdev|nic|rdma|hca|dpdk|vfio|switchdev/i;
// "nvidia.com/gpu", "amd.com/gpu", "gpu.intel.com/i915" and MIG slices "nvidia.com/mig-1g.10gb".
const GPU_WORDS = /gpu|(^|\/)mig-/i;

/** The element category of a node resource name, or undefined when the resource is not an element. */
export function elementCategory(resourceName: string): ElementCategory | undefined {
  switch (resourceName) {
    case 'cpu':
      return 'cpu';
    case 'memory':
      return 'memory';
    case 'ephemeral-storage':
      return 'storage';
  }
  if (!isExtendedResource(resourceName)) return undefined;
  if (GPU_WORDS.test(resourceName)) return 'gpu';
  if (NIC_WORDS.test(resourceName)) return 'nic';
  return 'accelerator';
}

/**
 * Extended resources are domain-qualified names advertised by device plugins. Names in the kubernetes.io
 * domains (and the unqualified built-ins) belong to Kubernetes itself.
 */
export function isExtendedResource(resourceName: string): boolean {
  const slash = resourceName.indexOf('/');
  if (slash <= 0) return false;
  const domain = resourceName.slice(0, slash);
  return !(domain === 'kubernetes.io' || domain.endsWith('.kubernetes.io') || domain === 'requests');
}

export function isHugepages(resourceName: string): boolean {
  return resourceName.startsWith('hugepages-');
}

const VENDOR_DOMAINS: readonly (readonly [domain: string, vendor: string])[] = [
  ['nvidia.com', 'NVIDIA'],
  ['amd.com', 'AMD'],
  ['intel.com', 'Intel'],
  ['mellanox.com', 'Mellanox'],
  ['xilinx.com', 'Xilinx'],
  ['broadcom.com', 'Broadcom'],
  ['marvell.com', 'Marvell'],
];

/**
 * The vendor a device plugin's resource prefix names. This is the plugin's convention, not a hardware probe:
 * the SR-IOV device plugin, for one, defaults to "intel.com" whatever the NIC. Unknown prefixes are returned
 * as they are.
 */
export function vendorOfResource(resourceName: string): string {
  const slash = resourceName.indexOf('/');
  if (slash <= 0) return '';
  const domain = resourceName.slice(0, slash);
  for (const [known, vendor] of VENDOR_DOMAINS) {
    if (domain === known || domain.endsWith(`.${known}`)) return vendor;
  }
  return domain;
}

/** The part of an extended resource name after the domain ("sriov_netdevice" of "intel.com/sriov_netdevice"). */
export function deviceName(resourceName: string): string {
  return resourceName.slice(resourceName.indexOf('/') + 1);
}

/** Role names from `node-role.kubernetes.io/<role>` labels, sorted. */
export function nodeRoles(labels: Readonly<Record<string, string>> | undefined): string[] {
  const roles: string[] = [];
  if (labels === undefined) return roles;
  for (const key in labels) {
    if (key.startsWith(LABELS.rolePrefix) && key.length > LABELS.rolePrefix.length) {
      roles.push(key.slice(LABELS.rolePrefix.length));
    }
  }
  return roles.sort();
}
