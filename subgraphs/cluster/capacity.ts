/**
 * Node capacity summed into resource pool and deployment manager capacity. The sums are maintained
 * incrementally (a node's contribution is added and removed) so that a node event costs O(1) in the size of
 * the cluster; they are kept as bigint in integer units so that add/remove never drifts and never produces a
 * spurious MODIFY.
 */
import { elementCategory, isExtendedResource, isHugepages } from './hardware.ts';
import type { JsonObject } from './model.ts';
import { milliCores, wholeUnits } from '../../common/quantity.ts';

/** One resource of one node, in integer units: millicores for `cpu`, bytes or counts for everything else. */
export interface ResourceAmount {
  readonly name: string;
  readonly capacity: number;
  readonly allocatable: number;
}

/** What one node adds to its pool's and its cluster's capacity; entries sorted by name. */
export type NodeCapacity = readonly ResourceAmount[];

type QuantityMap = Readonly<Record<string, string>> | undefined;

/** The capacity contribution of a node from its status.capacity and status.allocatable. */
export function nodeCapacity(capacity: QuantityMap, allocatable: QuantityMap): NodeCapacity {
  const names = new Set<string>();
  for (const name in capacity) names.add(name);
  for (const name in allocatable) names.add(name);
  const amounts: ResourceAmount[] = [];
  for (const name of [...names].sort()) {
    const toUnits = name === 'cpu' ? milliCores : wholeUnits;
    amounts.push({ name, capacity: toUnits(capacity?.[name]), allocatable: toUnits(allocatable?.[name]) });
  }
  return amounts;
}

export function sameNodeCapacity(a: NodeCapacity, b: NodeCapacity): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.name !== y.name || x.capacity !== y.capacity || x.allocatable !== y.allocatable) return false;
  }
  return true;
}

interface Sum {
  capacity: bigint;
  allocatable: bigint;
  /** How many nodes report this resource, so that a resource no node has any more disappears. */
  nodes: number;
}

/** Capacity summed over a set of nodes. */
export class CapacityTotals {
  #nodes = 0;
  readonly #sums = new Map<string, Sum>();

  get nodes(): number {
    return this.#nodes;
  }

  add(contribution: NodeCapacity): void {
    this.#nodes++;
    for (const { name, capacity, allocatable } of contribution) {
      const sum = this.#sums.get(name);
      if (sum === undefined) {
        this.#sums.set(name, { capacity: BigInt(capacity), allocatable: BigInt(allocatable), nodes: 1 });
      } else {
        sum.capacity += BigInt(capacity);
        sum.allocatable += BigInt(allocatable);
        sum.nodes++;
      }
    }
  }

  remove(contribution: NodeCapacity): void {
    this.#nodes--;
    for (const { name, capacity, allocatable } of contribution) {
      const sum = this.#sums.get(name);
      if (sum === undefined) continue;
      sum.capacity -= BigInt(capacity);
      sum.allocatable -= BigInt(allocatable);
      if (--sum.nodes === 0) this.#sums.delete(name);
    }
  }

  /**
   * The O2 capacity object: cores, bytes and counts as JSON numbers, with the commonly compared figures at
   * the top and every device-plugin resource under `extendedResources`.
   */
  toJSON(): JsonObject {
    let gpuCapacity = 0n;
    let gpuAllocatable = 0n;
    const extendedResources: Record<string, JsonObject> = {};
    const hugepagesBytes: Record<string, JsonObject> = {};
    for (const name of [...this.#sums.keys()].sort()) {
      const sum = this.#sums.get(name)!;
      if (isHugepages(name)) hugepagesBytes[name] = this.#figure(name);
      if (!isExtendedResource(name)) continue;
      extendedResources[name] = this.#figure(name);
      if (elementCategory(name) === 'gpu') {
        gpuCapacity += sum.capacity;
        gpuAllocatable += sum.allocatable;
      }
    }
    const cpu = this.#sums.get('cpu');
    return {
      nodes: this.#nodes,
      cpu: {
        capacity: cpu === undefined ? 0 : Number(cpu.capacity) / 1000,
        allocatable: cpu === undefined ? 0 : Number(cpu.allocatable) / 1000,
      },
      memoryBytes: this.#figure('memory'),
      ephemeralStorageBytes: this.#figure('ephemeral-storage'),
      pods: this.#figure('pods'),
      gpu: { capacity: Number(gpuCapacity), allocatable: Number(gpuAllocatable) },
      hugepagesBytes,
      extendedResources,
    };
  }

  #figure(name: string): JsonObject {
    const sum = this.#sums.get(name);
    return sum === undefined
      ? { capacity: 0, allocatable: 0 }
      : { capacity: Number(sum.capacity), allocatable: Number(sum.allocatable) };
  }
}
