/**
 * O-RAN Application Service Descriptor (ASD) → descriptor content. An ASD CSAR names `Definitions/asd.yaml`
 * (or another entry) whose `tosca.nodes.asd` node template carries the identity and a list of
 * `deploymentItem` artifacts; those with `artifact_type: helm_chart` point at chart archives inside the
 * package, deployed in `deployment_order` (then item id) order.
 *
 * Identity mapping: vnfdId ← descriptor_id, vnfProvider ← provider, vnfProductName ← application_name,
 * vnfSoftwareVersion ← application_version, vnfdVersion ← descriptor_version. An ASD has no VDUs or
 * flavours: it gets one flavour `default` (values from `netweave.helm.values` metadata, if any); its
 * `ext_cpds` become the external CPDs.
 */
import { DmsError } from '../errors.ts';
import type { DescriptorExtCpd } from '../descriptor.ts';
import { nodeTemplates, resolveInPackage } from './tosca.ts';
import type { NodeTemplate, ToscaFile } from './tosca.ts';
import { NETWEAVE_METADATA } from './vnfd.ts';
import { isRecord, parseYaml, stringOf } from './yaml-doc.ts';

export const ASD_NODE_TYPE = 'tosca.nodes.asd';

export interface AsdContent {
  readonly vnfdId: string;
  readonly vnfProvider: string;
  readonly vnfProductName: string;
  readonly vnfSoftwareVersion: string;
  readonly vnfdVersion: string;
  readonly extCpds: readonly DescriptorExtCpd[];
  /** Package paths of the helm_chart deployment items, in deployment order. */
  readonly chartPaths: readonly string[];
  readonly values: Readonly<Record<string, unknown>>;
}

export function asdNode(file: ToscaFile): NodeTemplate | undefined {
  return nodeTemplates(file).find((node) => node.type === ASD_NODE_TYPE);
}

function required(node: NodeTemplate, name: string): string {
  const value = stringOf(node.textProperties[name]);
  if (value === undefined || value.trim() === '')
    throw new DmsError('UNPROCESSABLE', `the ASD node template has no ${name}`);
  return value;
}

function order(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : Number.MAX_SAFE_INTEGER;
}

export function readAsd(file: ToscaFile): AsdContent {
  const node = asdNode(file);
  if (node === undefined)
    throw new DmsError('UNPROCESSABLE', `the ASD has no node template of type ${ASD_NODE_TYPE}`);
  const items: { path: string; order: number; itemId: number }[] = [];
  const artifacts = node.raw['artifacts'];
  if (isRecord(artifacts)) {
    for (const [name, artifact] of Object.entries(artifacts)) {
      if (!isRecord(artifact)) continue;
      const properties = isRecord(artifact['properties']) ? artifact['properties'] : {};
      if (stringOf(properties['artifact_type']) !== 'helm_chart') continue;
      const target = stringOf(artifact['file']);
      // Deployment item files are relative to the CSAR root (as the O-RAN SC examples write them).
      const path = target === undefined ? undefined : resolveInPackage('asd.yaml', target);
      if (path === undefined)
        throw new DmsError(
          'UNPROCESSABLE',
          `the ASD deployment item ${JSON.stringify(name)} has no file inside the package`,
        );
      items.push({
        path,
        order: order(properties['deployment_order']),
        itemId: order(properties['item_id'] ?? properties['itemId']),
      });
    }
  }
  if (items.length === 0)
    throw new DmsError('UNPROCESSABLE', 'the ASD has no deployment item with artifact_type helm_chart');
  items.sort((a, b) => a.order - b.order || a.itemId - b.itemId);

  const extCpds: DescriptorExtCpd[] = [];
  const rawCpds = node.textProperties['ext_cpds'];
  if (Array.isArray(rawCpds)) {
    for (const cpd of rawCpds) {
      const cpdId = isRecord(cpd) ? stringOf(cpd['id']) : undefined;
      if (cpdId === undefined) continue;
      const description = stringOf((cpd as Record<string, unknown>)['description']);
      extCpds.push({ cpdId, ...(description === undefined ? {} : { description }) });
    }
  }
  const rawValues = node.metadata[NETWEAVE_METADATA.values];
  const parsedValues =
    typeof rawValues === 'string'
      ? parseYaml(rawValues, `${NETWEAVE_METADATA.values} of the ASD`)
      : rawValues;
  return {
    vnfdId: required(node, 'descriptor_id'),
    vnfProvider: required(node, 'provider'),
    vnfProductName: required(node, 'application_name'),
    vnfSoftwareVersion: required(node, 'application_version'),
    vnfdVersion: required(node, 'descriptor_version'),
    extCpds,
    chartPaths: items.map((item) => item.path),
    values: isRecord(parsedValues) ? parsedValues : {},
  };
}
