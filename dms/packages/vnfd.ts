/**
 * SOL001 VNFD → the parts of a VnfDescriptor that come from TOSCA (identity, VDUs, external CPs,
 * deployment flavours with their scaling and instantiation-level policies, netweave's Helm metadata).
 *
 * Layout as SOL001 §6 and Tacker use it: a top file with the VNF node template (identity properties) that
 * imports one file per deployment flavour; each flavour file has `substitution_mappings` for the VNF node
 * type with `properties.flavour_id`, its VDUs and policies. A VNFD without flavour files is one flavour,
 * read from the top file.
 *
 * netweave's Helm conventions (TOSCA `metadata`, whose values are strings; docs/dms.md):
 *   VNF node template  `netweave.helm.values`: YAML text of a mapping, the Helm values of that flavour
 *                      (on the top file's VNF node: values of every flavour, under the flavour's own);
 *                      `netweave.helm.chart` (top file only): path of the default chart in the package
 *   VDU node template  `netweave.helm.replicaValue`: dot path of the chart value with the VDU's replicas
 */
import { DmsError } from '../errors.ts';
import type {
  DeploymentFlavour,
  DescriptorExtCpd,
  DescriptorVdu,
  FlavourVdu,
  InstantiationLevel,
  ScalingAspect,
} from '../descriptor.ts';
import { nodeTemplates, policies, topologyOf, TypeHierarchy } from './tosca.ts';
import type { NodeTemplate, PolicyDefinition, ToscaFile } from './tosca.ts';
import { isRecord, parseYaml, setOwn, stringOf } from './yaml-doc.ts';

export const NETWEAVE_METADATA = {
  values: 'netweave.helm.values',
  chart: 'netweave.helm.chart',
  replicaValue: 'netweave.helm.replicaValue',
} as const;

const TYPES = {
  vnf: 'tosca.nodes.nfv.VNF',
  vduCompute: 'tosca.nodes.nfv.Vdu.Compute',
  vduContainer: 'tosca.nodes.nfv.Vdu.OsContainerDeployableUnit',
  extCp: 'tosca.nodes.nfv.VnfExtCp',
  scalingAspects: 'tosca.policies.nfv.ScalingAspects',
  initialDelta: 'tosca.policies.nfv.VduInitialDelta',
  aspectDeltas: 'tosca.policies.nfv.VduScalingAspectDeltas',
  instantiationLevels: 'tosca.policies.nfv.InstantiationLevels',
  vduInstantiationLevels: 'tosca.policies.nfv.VduInstantiationLevels',
} as const;

const IDENTITY = ['descriptor_id', 'provider', 'product_name', 'software_version', 'descriptor_version'];

export interface VnfdContent {
  readonly vnfdId: string;
  readonly vnfProvider: string;
  readonly vnfProductName: string;
  readonly vnfSoftwareVersion: string;
  readonly vnfdVersion: string;
  readonly vdus: readonly DescriptorVdu[];
  readonly extCpds: readonly DescriptorExtCpd[];
  readonly flavours: readonly DeploymentFlavour[];
  /** `netweave.helm.chart` of the top VNF node, if any. */
  readonly defaultChartPath?: string;
}

function unprocessable(detail: string): DmsError {
  return new DmsError('UNPROCESSABLE', detail);
}

function count(value: unknown, where: string): number {
  const parsed = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isSafeInteger(parsed) || parsed < 0)
    throw unprocessable(`${where} must be a non-negative integer`);
  return parsed;
}

function optionalCount(value: unknown, where: string): number | undefined {
  return value === undefined || value === null ? undefined : count(value, where);
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

/** A metadata value holding YAML text of a mapping (or, leniently, a mapping). */
function valuesOf(node: NodeTemplate | undefined, where: string): Record<string, unknown> {
  const raw = node?.metadata[NETWEAVE_METADATA.values];
  if (raw === undefined || raw === null) return {};
  const parsed = typeof raw === 'string' ? parseYaml(raw, `${NETWEAVE_METADATA.values} of ${where}`) : raw;
  if (parsed === null || parsed === undefined) return {};
  if (!isRecord(parsed))
    throw unprocessable(`${NETWEAVE_METADATA.values} of ${where} must be a YAML mapping`);
  return parsed;
}

/** Deep merge of plain mappings; `over` wins, lists are replaced (Helm's own rule for values files). */
export function mergeValues(
  base: Readonly<Record<string, unknown>>,
  over: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = Object.hasOwn(out, key) ? out[key] : undefined;
    setOwn(out, key, isRecord(current) && isRecord(value) ? mergeValues(current, value) : value);
  }
  return out;
}

class Vnfd {
  readonly types: TypeHierarchy;
  constructor(readonly files: readonly ToscaFile[]) {
    this.types = new TypeHierarchy(files);
  }

  isVnf(node: NodeTemplate): boolean {
    return this.types.isA(node.type, TYPES.vnf);
  }
  isVdu(node: NodeTemplate): boolean {
    return this.types.isA(node.type, TYPES.vduCompute) || this.types.isA(node.type, TYPES.vduContainer);
  }
  isExtCp(node: NodeTemplate): boolean {
    return this.types.isA(node.type, TYPES.extCp);
  }
  policiesOf(file: ToscaFile, type: string): PolicyDefinition[] {
    return policies(file).filter((policy) => this.types.isA(policy.type, type));
  }
}

function identity(vnfd: Vnfd, top: NodeTemplate): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of IDENTITY) {
    const value =
      stringOf(top.textProperties[name]) ?? stringOf(vnfd.types.propertyDefault(vnfd.files, top.type, name));
    if (value === undefined || value.trim() === '')
      throw unprocessable(`the VNF node template ${JSON.stringify(top.name)} has no ${name}`);
    out[name] = value;
  }
  return out;
}

function flavourIdOf(vnfd: Vnfd, file: ToscaFile, vnfType: string): string | undefined {
  const mappings = topologyOf(file).text['substitution_mappings'];
  if (!isRecord(mappings) || typeof mappings['node_type'] !== 'string') return undefined;
  // The flavour substitutes the VNF node: its node type is the VNF's own type, an ancestor of it (some
  // packages write tosca.nodes.nfv.VNF) or a type derived from it.
  const nodeType = mappings['node_type'];
  const related = vnfd.types.isA(nodeType, vnfType) || vnfd.types.isA(vnfType, nodeType);
  if (!related || !vnfd.types.isA(nodeType, TYPES.vnf)) return undefined;
  const fromMappings = stringOf(field(mappings['properties'], 'flavour_id'));
  if (fromMappings !== undefined) return fromMappings;
  const vnfNode = nodeTemplates(file).find((node) => vnfd.isVnf(node));
  const fromNode = stringOf(vnfNode?.textProperties['flavour_id']);
  if (fromNode !== undefined) return fromNode;
  throw unprocessable(`the deployment flavour file ${JSON.stringify(file.path)} has no flavour_id`);
}

interface FlavourParts {
  readonly flavour: DeploymentFlavour;
  readonly vdus: DescriptorVdu[];
  readonly extCpds: DescriptorExtCpd[];
}

function readFlavour(
  vnfd: Vnfd,
  file: ToscaFile,
  flavourId: string,
  topValues: Record<string, unknown>,
): FlavourParts {
  const where = `flavour ${JSON.stringify(flavourId)}`;
  const nodes = nodeTemplates(file);
  const vnfNode = nodes.find((node) => vnfd.isVnf(node));
  const vduNodes = nodes.filter((node) => vnfd.isVdu(node));
  const vduIds = new Set(vduNodes.map((node) => node.name));

  const initialDelta = new Map<string, number>();
  for (const policy of vnfd.policiesOf(file, TYPES.initialDelta)) {
    const n = count(
      field(policy.properties['initial_delta'], 'number_of_instances'),
      `${where} policy ${policy.name} initial_delta.number_of_instances`,
    );
    for (const target of policy.targets) initialDelta.set(target, n);
  }

  // aspect → vdu → delta id → instances
  const aspectDeltas = new Map<string, Map<string, Map<string, number>>>();
  for (const policy of vnfd.policiesOf(file, TYPES.aspectDeltas)) {
    const aspect = stringOf(policy.properties['aspect']);
    const deltas = policy.properties['deltas'];
    if (aspect === undefined || !isRecord(deltas))
      throw unprocessable(`${where} policy ${policy.name} needs aspect and deltas`);
    const byDelta = new Map<string, number>();
    for (const [deltaId, delta] of Object.entries(deltas))
      byDelta.set(
        deltaId,
        count(field(delta, 'number_of_instances'), `${where} policy ${policy.name} delta ${deltaId}`),
      );
    const perVdu = aspectDeltas.get(aspect) ?? new Map<string, Map<string, number>>();
    for (const target of policy.targets) perVdu.set(target, byDelta);
    aspectDeltas.set(aspect, perVdu);
  }

  const scalingAspects: ScalingAspect[] = [];
  for (const policy of vnfd.policiesOf(file, TYPES.scalingAspects)) {
    const aspects = policy.properties['aspects'];
    if (!isRecord(aspects)) continue;
    for (const [aspectId, aspect] of Object.entries(aspects)) {
      const maxScaleLevel = count(
        field(aspect, 'max_scale_level'),
        `${where} aspect ${aspectId} max_scale_level`,
      );
      const stepDeltas = field(aspect, 'step_deltas');
      const firstStep = Array.isArray(stepDeltas) ? stringOf(stepDeltas[0]) : undefined;
      const deltas: { vduId: string; replicasPerStep: number }[] = [];
      for (const [vduId, byDelta] of aspectDeltas.get(aspectId) ?? []) {
        // Every step uses the first step's delta: non-uniform step deltas are not modelled (docs/dms.md).
        const replicasPerStep =
          (firstStep === undefined ? undefined : byDelta.get(firstStep)) ?? [...byDelta.values()][0];
        if (replicasPerStep !== undefined) deltas.push({ vduId, replicasPerStep });
      }
      const name = stringOf(field(aspect, 'name'));
      scalingAspects.push({ aspectId, maxScaleLevel, deltas, ...(name === undefined ? {} : { name }) });
    }
  }

  // level → vdu → instances
  const vduLevels = new Map<string, Map<string, number>>();
  for (const policy of vnfd.policiesOf(file, TYPES.vduInstantiationLevels)) {
    const levels = policy.properties['levels'];
    if (!isRecord(levels)) continue;
    for (const [levelId, level] of Object.entries(levels)) {
      const n = count(field(level, 'number_of_instances'), `${where} policy ${policy.name} level ${levelId}`);
      const perVdu = vduLevels.get(levelId) ?? new Map<string, number>();
      for (const target of policy.targets) perVdu.set(target, n);
      vduLevels.set(levelId, perVdu);
    }
  }

  let defaultInstantiationLevelId: string | undefined;
  const levelDefinitions: { levelId: string; description?: string; scaleLevels: Record<string, number> }[] =
    [];
  for (const policy of vnfd.policiesOf(file, TYPES.instantiationLevels)) {
    defaultInstantiationLevelId ??= stringOf(policy.properties['default_level']);
    const levels = policy.properties['levels'];
    if (!isRecord(levels)) continue;
    for (const [levelId, level] of Object.entries(levels)) {
      const scaleLevels: Record<string, number> = {};
      const scaleInfo = field(level, 'scale_info');
      if (isRecord(scaleInfo))
        for (const [aspectId, info] of Object.entries(scaleInfo))
          scaleLevels[aspectId] = count(field(info, 'scale_level'), `${where} level ${levelId} ${aspectId}`);
      const description = stringOf(field(level, 'description'));
      levelDefinitions.push({ levelId, scaleLevels, ...(description === undefined ? {} : { description }) });
    }
  }
  if (
    defaultInstantiationLevelId !== undefined &&
    !levelDefinitions.some((l) => l.levelId === defaultInstantiationLevelId)
  )
    throw unprocessable(
      `${where} names default_level ${JSON.stringify(defaultInstantiationLevelId)}, which it does not define`,
    );

  const vdus: FlavourVdu[] = [];
  const descriptorVdus: DescriptorVdu[] = [];
  for (const node of vduNodes) {
    const profile = node.properties['vdu_profile'];
    const min = optionalCount(
      field(profile, 'min_number_of_instances'),
      `${where} ${node.name} min_number_of_instances`,
    );
    const maxReplicas = optionalCount(
      field(profile, 'max_number_of_instances'),
      `${where} ${node.name} max_number_of_instances`,
    );
    const atDefaultLevel =
      defaultInstantiationLevelId === undefined
        ? undefined
        : vduLevels.get(defaultInstantiationLevelId)?.get(node.name);
    const initialReplicas = initialDelta.get(node.name) ?? atDefaultLevel ?? min ?? 1;
    const replicaValue = stringOf(node.metadata[NETWEAVE_METADATA.replicaValue]);
    vdus.push({
      vduId: node.name,
      initialReplicas,
      ...(maxReplicas === undefined ? {} : { maxReplicas }),
      ...(replicaValue === undefined || replicaValue === '' ? {} : { replicaValue }),
    });
    const description = stringOf(node.properties['description']);
    descriptorVdus.push({
      vduId: node.name,
      name: stringOf(node.textProperties['name']) ?? node.name,
      ...(description === undefined ? {} : { description }),
    });
  }
  for (const policy of policies(file))
    for (const target of policy.targets)
      if (
        [TYPES.initialDelta, TYPES.aspectDeltas, TYPES.vduInstantiationLevels].some((t) =>
          vnfd.types.isA(policy.type, t),
        ) &&
        !vduIds.has(target)
      )
        throw unprocessable(
          `${where} policy ${policy.name} targets ${JSON.stringify(target)}, which is not a VDU of the flavour`,
        );

  const instantiationLevels: InstantiationLevel[] = levelDefinitions.map((level) => {
    const vduReplicas: Record<string, number> = {};
    for (const vdu of vdus) {
      const explicit = vduLevels.get(level.levelId)?.get(vdu.vduId);
      let derived = initialDelta.get(vdu.vduId) ?? vdu.initialReplicas;
      for (const aspect of scalingAspects) {
        const step = aspect.deltas.find((delta) => delta.vduId === vdu.vduId)?.replicasPerStep ?? 0;
        derived += step * (level.scaleLevels[aspect.aspectId] ?? 0);
      }
      vduReplicas[vdu.vduId] = explicit ?? derived;
    }
    return { ...level, vduReplicas };
  });

  const extCpds: DescriptorExtCpd[] = nodes
    .filter((node) => vnfd.isExtCp(node))
    .map((node) => {
      const description = stringOf(node.properties['description']);
      return { cpdId: node.name, ...(description === undefined ? {} : { description }) };
    });

  const description = stringOf(vnfNode?.properties['flavour_description']);
  const flavour: DeploymentFlavour = {
    flavourId,
    values: mergeValues(topValues, valuesOf(vnfNode, where)),
    vdus,
    scalingAspects,
    instantiationLevels,
    ...(description === undefined || description === '' ? {} : { description }),
    ...(defaultInstantiationLevelId === undefined ? {} : { defaultInstantiationLevelId }),
  };
  return { flavour, vdus: descriptorVdus, extCpds };
}

export function readVnfd(files: readonly ToscaFile[]): VnfdContent {
  const vnfd = new Vnfd(files);
  const entry = files[0]!;
  const top =
    nodeTemplates(entry).find((node) => vnfd.isVnf(node)) ??
    files.flatMap((file) => nodeTemplates(file)).find((node) => vnfd.isVnf(node));
  if (top === undefined)
    throw unprocessable(`the VNFD has no node template of a type derived from ${TYPES.vnf}`);
  const ids = identity(vnfd, top);
  const topValues = valuesOf(top, 'the VNF node template');

  const flavourFiles = files
    .map((file) => ({ file, flavourId: flavourIdOf(vnfd, file, top.type) }))
    .filter((item): item is { file: ToscaFile; flavourId: string } => item.flavourId !== undefined);
  if (flavourFiles.length === 0) {
    const flavourId =
      stringOf(top.textProperties['flavour_id']) ??
      stringOf(vnfd.types.propertyDefault(files, top.type, 'flavour_id')) ??
      'default';
    flavourFiles.push({ file: entry, flavourId });
  }
  const seen = new Set<string>();
  const flavours: DeploymentFlavour[] = [];
  const vdus = new Map<string, DescriptorVdu>();
  const extCpds = new Map<string, DescriptorExtCpd>();
  for (const { file, flavourId } of flavourFiles) {
    if (seen.has(flavourId))
      throw unprocessable(`deployment flavour ${JSON.stringify(flavourId)} is defined twice`);
    seen.add(flavourId);
    const parts = readFlavour(vnfd, file, flavourId, topValues);
    flavours.push(parts.flavour);
    for (const vdu of parts.vdus) if (!vdus.has(vdu.vduId)) vdus.set(vdu.vduId, vdu);
    for (const cpd of parts.extCpds) if (!extCpds.has(cpd.cpdId)) extCpds.set(cpd.cpdId, cpd);
  }
  const defaultChartPath = stringOf(top.metadata[NETWEAVE_METADATA.chart]);
  return {
    vnfdId: ids['descriptor_id']!,
    vnfProvider: ids['provider']!,
    vnfProductName: ids['product_name']!,
    vnfSoftwareVersion: ids['software_version']!,
    vnfdVersion: ids['descriptor_version']!,
    vdus: [...vdus.values()],
    extCpds: [...extCpds.values()],
    flavours,
    ...(defaultChartPath === undefined ? {} : { defaultChartPath }),
  };
}
