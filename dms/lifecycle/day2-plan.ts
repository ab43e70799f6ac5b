/**
 * What a scale or a change of flavour means for an instance, computed from the descriptor alone: the
 * service uses it to refuse a request before an occurrence exists, the job runner to compute the Helm
 * values (the same function both sides, so a retry computes the same release).
 *
 * Replicas of a VDU at a set of scale levels: the flavour's `initialReplicas` plus, per aspect, its
 * level × the aspect's `replicasPerStep` for that VDU (SOL001 VduScalingAspectDeltas; a VDU an aspect
 * names without a delta gets one replica per step). An instantiation level names its replicas itself.
 */
import type { DeploymentFlavour } from '../descriptor.ts';
import { DmsError } from '../errors.ts';
import type { ScaleVnfRequest, ScaleVnfToLevelRequest } from './day2-requests.ts';
import type { ScaleInfo } from './records.ts';
import { isPlainObject } from './requests.ts';

export interface ScalePlan {
  readonly scaleStatus: readonly ScaleInfo[];
  readonly vduReplicas: Readonly<Record<string, number>>;
  /** Set when the target is an instantiation level of the flavour. */
  readonly instantiationLevelId?: string;
}

export function replicasAtLevels(
  flavour: DeploymentFlavour,
  scaleStatus: readonly ScaleInfo[],
): Record<string, number> {
  const replicas: Record<string, number> = {};
  for (const vdu of flavour.vdus) {
    let count = vdu.initialReplicas;
    for (const aspect of flavour.scalingAspects) {
      const level = scaleStatus.find((s) => s.aspectId === aspect.aspectId)?.scaleLevel ?? 0;
      const delta = aspect.deltas.find((d) => d.vduId === vdu.vduId);
      if (delta !== undefined) count += level * delta.replicasPerStep;
    }
    replicas[vdu.vduId] = count;
  }
  return replicas;
}

function currentLevels(flavour: DeploymentFlavour, current: readonly ScaleInfo[] | undefined): ScaleInfo[] {
  return flavour.scalingAspects.map((aspect) => ({
    aspectId: aspect.aspectId,
    scaleLevel: current?.find((s) => s.aspectId === aspect.aspectId)?.scaleLevel ?? 0,
  }));
}

/** SCALE: the aspect must exist (400) and the new level stay within 0..maxScaleLevel (422). */
export function planScale(
  flavour: DeploymentFlavour,
  current: readonly ScaleInfo[] | undefined,
  request: ScaleVnfRequest,
): ScalePlan {
  const aspect = flavour.scalingAspects.find((a) => a.aspectId === request.aspectId);
  if (aspect === undefined)
    throw new DmsError(
      'INVALID',
      `aspectId "${request.aspectId.slice(0, 64)}" is not a scaling aspect of flavour ${flavour.flavourId}`,
    );
  const levels = currentLevels(flavour, current);
  const from = levels.find((l) => l.aspectId === aspect.aspectId)!.scaleLevel;
  const to = from + (request.type === 'SCALE_OUT' ? 1 : -1) * request.numberOfSteps;
  if (to < 0 || to > aspect.maxScaleLevel)
    throw new DmsError(
      'UNPROCESSABLE',
      `${request.type} by ${request.numberOfSteps} step(s) would take aspect ${aspect.aspectId} from level ${from} to ${to}, outside 0..${aspect.maxScaleLevel}`,
    );
  const scaleStatus = levels.map((l) => (l.aspectId === aspect.aspectId ? { ...l, scaleLevel: to } : l));
  return { scaleStatus, vduReplicas: replicasAtLevels(flavour, scaleStatus) };
}

/** SCALE_TO_LEVEL: an instantiation level of the flavour (400 if unknown), or levels per aspect (400/422). */
export function planScaleToLevel(
  flavour: DeploymentFlavour,
  current: readonly ScaleInfo[] | undefined,
  request: ScaleVnfToLevelRequest,
): ScalePlan {
  if (request.instantiationLevelId !== undefined) return planLevel(flavour, request.instantiationLevelId);
  const levels = currentLevels(flavour, current);
  for (const wanted of request.scaleInfo ?? []) {
    const aspect = flavour.scalingAspects.find((a) => a.aspectId === wanted.aspectId);
    if (aspect === undefined)
      throw new DmsError(
        'INVALID',
        `scaleInfo names "${wanted.aspectId.slice(0, 64)}", not a scaling aspect of flavour ${flavour.flavourId}`,
      );
    if (wanted.scaleLevel > aspect.maxScaleLevel)
      throw new DmsError(
        'UNPROCESSABLE',
        `scale level ${wanted.scaleLevel} of aspect ${aspect.aspectId} is beyond its maxScaleLevel ${aspect.maxScaleLevel}`,
      );
  }
  const scaleStatus = levels.map((l) => ({
    aspectId: l.aspectId,
    scaleLevel: request.scaleInfo?.find((s) => s.aspectId === l.aspectId)?.scaleLevel ?? l.scaleLevel,
  }));
  return { scaleStatus, vduReplicas: replicasAtLevels(flavour, scaleStatus) };
}

/** An instantiation level (or the flavour's default one, else level 0 everywhere) as a plan. */
export function planLevel(flavour: DeploymentFlavour, instantiationLevelId: string | undefined): ScalePlan {
  const levelId = instantiationLevelId ?? flavour.defaultInstantiationLevelId;
  const level = flavour.instantiationLevels.find((l) => l.levelId === levelId);
  if (instantiationLevelId !== undefined && level === undefined)
    throw new DmsError(
      'INVALID',
      `instantiationLevelId "${instantiationLevelId.slice(0, 64)}" is not an instantiation level of flavour ${flavour.flavourId}`,
    );
  const scaleStatus = flavour.scalingAspects.map((a) => ({
    aspectId: a.aspectId,
    scaleLevel: level?.scaleLevels[a.aspectId] ?? 0,
  }));
  const computed = replicasAtLevels(flavour, scaleStatus);
  const vduReplicas = Object.fromEntries(
    flavour.vdus.map((v) => [v.vduId, level?.vduReplicas[v.vduId] ?? computed[v.vduId]!]),
  );
  return {
    scaleStatus,
    vduReplicas,
    ...(level === undefined ? {} : { instantiationLevelId: level.levelId }),
  };
}

/**
 * The chart value holding each VDU's replica count: `helm_value_names.<vduId>.replica` of the
 * instantiation (Tacker), else the flavour's `replicaValue`.
 */
export function replicaValueNames(
  flavour: DeploymentFlavour,
  helmValueNames: unknown,
): Record<string, string> {
  const names: Record<string, string> = {};
  for (const vdu of flavour.vdus) {
    const named = isPlainObject(helmValueNames) ? helmValueNames[vdu.vduId] : undefined;
    const name =
      isPlainObject(named) && typeof named['replica'] === 'string' ? named['replica'] : vdu.replicaValue;
    if (name !== undefined) names[vdu.vduId] = name;
  }
  return names;
}
