/** Reading untyped stored objects (the simulator keeps plain JSON): small, total accessors. */
import type { KubeObject, OwnerReference } from '../types.ts';
import { isPlainObject } from '../types.ts';

export type Json = Record<string, unknown>;

export function record(value: unknown): Json {
  return isPlainObject(value) ? value : {};
}

export function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

export function strings(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record(value))) if (typeof v === 'string') out[k] = v;
  return out;
}

export function specOf(object: KubeObject): Json {
  return record(object['spec']);
}

export function statusOf(object: KubeObject): Json {
  return record(object['status']);
}

/** `spec.replicas`, defaulting to 1 as the API server does for workloads. */
export function desiredReplicas(object: KubeObject): number {
  const value = specOf(object)['replicas'];
  return typeof value === 'number' && value >= 0 ? Math.floor(value) : 1;
}

export function numberField(object: Json, field: string): number {
  const value = object[field];
  return typeof value === 'number' ? value : 0;
}

/** The owner reference marked `controller: true`, the one that manages the object. */
export function controllerRef(object: KubeObject): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

export function controlledBy(object: KubeObject, owner: KubeObject): boolean {
  return controllerRef(object)?.uid === owner.metadata.uid;
}

export function newControllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function isDeleting(object: KubeObject): boolean {
  return object.metadata.deletionTimestamp !== undefined;
}

const BINARY: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** A Kubernetes resource quantity (`250m`, `8Gi`, `1e3`, `4`) as a number of base units; NaN when malformed. */
export function parseQuantity(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return Number.NaN;
  const match =
    /^([+-]?\d+(?:\.\d*)?|[+-]?\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/.exec(
      value.trim(),
    );
  if (match === null) return Number.NaN;
  const base = Number(match[1]);
  if (match[3] !== undefined) return base * 10 ** Number(match[3]);
  const unit = match[2] ?? '';
  return base * (BINARY[unit] ?? DECIMAL[unit]!);
}
