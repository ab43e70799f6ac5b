/**
 * The Helm values of an instantiation, in increasing precedence:
 *
 *   the chart's own values.yaml (Helm applies it)
 *   < the deployment flavour's values (descriptor)
 *   < per VDU, the replica count of the instantiation level (else the VDU's initial replicas), written to
 *     the value named by additionalParams.helm_value_names.<vduId>.replica (Tacker), else the flavour's
 *     replicaValue
 *   < additionalParams.helm_parameters (Tacker; a key with dots is a path: "image.tag")
 */
import type { DeploymentFlavour, KeyValuePairs, ScaleInfo } from '../../../dms/lifecycle/index.ts';
import { isPlainObject, mergePatch } from '../../../dms/lifecycle/index.ts';

export interface InstantiationValues {
  readonly values: Record<string, unknown>;
  readonly scaleStatus: readonly ScaleInfo[];
  readonly maxScaleLevels: readonly ScaleInfo[];
  readonly instantiationLevelId?: string;
  /** Replicas asked per VDU (for the record). */
  readonly vduReplicas: Readonly<Record<string, number>>;
}

/** Sets `path` (dot separated) in `target`, creating objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.').filter((p) => p !== '');
  let node = target;
  for (const [index, part] of parts.entries()) {
    if (part === '__proto__' || part === 'constructor' || part === 'prototype') return;
    if (index === parts.length - 1) {
      node[part] = value;
      return;
    }
    const next = node[part];
    if (!isPlainObject(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
}

export function instantiationValues(
  flavour: DeploymentFlavour,
  instantiationLevelId: string | undefined,
  additionalParams: KeyValuePairs | undefined,
): InstantiationValues {
  const values = mergePatch({}, flavour.values) as Record<string, unknown>;
  const levelId = instantiationLevelId ?? flavour.defaultInstantiationLevelId;
  const level = flavour.instantiationLevels.find((l) => l.levelId === levelId);
  const valueNames = isPlainObject(additionalParams?.['helm_value_names'])
    ? additionalParams['helm_value_names']
    : {};
  const vduReplicas: Record<string, number> = {};
  for (const vdu of flavour.vdus) {
    const replicas = level?.vduReplicas[vdu.vduId] ?? vdu.initialReplicas;
    vduReplicas[vdu.vduId] = replicas;
    const named = valueNames[vdu.vduId];
    const valueName =
      isPlainObject(named) && typeof named['replica'] === 'string' ? named['replica'] : vdu.replicaValue;
    if (valueName !== undefined) setPath(values, valueName, replicas);
  }
  const parameters = additionalParams?.['helm_parameters'];
  if (isPlainObject(parameters)) {
    for (const [key, value] of Object.entries(parameters)) setPath(values, key, value);
  }
  const scaleStatus = flavour.scalingAspects.map((aspect) => ({
    aspectId: aspect.aspectId,
    scaleLevel: level?.scaleLevels[aspect.aspectId] ?? 0,
  }));
  const maxScaleLevels = flavour.scalingAspects.map((aspect) => ({
    aspectId: aspect.aspectId,
    scaleLevel: aspect.maxScaleLevel,
  }));
  return {
    values,
    scaleStatus,
    maxScaleLevels,
    ...(level === undefined ? {} : { instantiationLevelId: level.levelId }),
    vduReplicas,
  };
}
