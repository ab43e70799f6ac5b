/**
 * Turns a CustomResourceDefinition object into the resource it defines, and fills the status fields the
 * real apiextensions controller sets (accepted names, Established), which `kubectl wait` and Helm read.
 */
import { invalid } from '../errors.ts';
import type { KubeObject } from '../types.ts';
import { isPlainObject } from '../types.ts';
import { STANDARD_VERBS } from './catalog.ts';
import type { PrinterColumn, ResourceType, ScaleSubresource } from './resource-type.ts';

const CRD_RESOURCE = {
  group: 'apiextensions.k8s.io',
  plural: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
};

const VERSION_RE = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/** Kubernetes version priority: GA before beta before alpha, higher numbers first, others last by name. */
export function compareVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number] => {
    const m = VERSION_RE.exec(v);
    if (!m) return [0, 0, 0];
    const tier = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [tier, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [ta, ma, na] = rank(a);
  const [tb, mb, nb] = rank(b);
  if (ta !== tb) return tb - ta;
  if (ta === 0) return a < b ? -1 : a > b ? 1 : 0;
  return mb - ma || nb - na;
}

function record(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function stripDot(path: string): string {
  return path.startsWith('.') ? path.slice(1) : path;
}

function printerColumns(version: Record<string, unknown>): PrinterColumn[] | undefined {
  const raw = version['additionalPrinterColumns'];
  if (!Array.isArray(raw)) return undefined;
  const columns: PrinterColumn[] = [];
  for (const entry of raw) {
    const c = record(entry);
    const name = text(c['name']);
    const jsonPath = text(c['jsonPath']);
    if (name === undefined || jsonPath === undefined) continue;
    const column: { -readonly [K in keyof PrinterColumn]: PrinterColumn[K] } = {
      name,
      jsonPath,
      type: text(c['type']) ?? 'string',
    };
    const description = text(c['description']);
    if (description !== undefined) column.description = description;
    if (typeof c['priority'] === 'number') column.priority = c['priority'];
    const format = text(c['format']);
    if (format !== undefined) column.format = format;
    columns.push(column);
  }
  return columns;
}

function scaleOf(version: Record<string, unknown>): ScaleSubresource | undefined {
  const scale = record(record(version['subresources'])['scale']);
  const spec = text(scale['specReplicasPath']);
  const status = text(scale['statusReplicasPath']);
  if (spec === undefined || status === undefined) return undefined;
  const selector = text(scale['labelSelectorPath']);
  return {
    specReplicasPath: stripDot(spec),
    statusReplicasPath: stripDot(status),
    ...(selector === undefined ? {} : { labelSelectorPath: stripDot(selector) }),
  };
}

/** The resource a CRD defines; throws 422 Invalid when the CRD is malformed. */
export function resourceTypeFromCrd(crd: KubeObject): ResourceType {
  const name = crd.metadata.name;
  const fail = (field: string, message: string): never => {
    throw invalid(CRD_RESOURCE, name, field, message);
  };
  const spec = record(crd['spec']);
  const names = record(spec['names']);
  const group = text(spec['group']) ?? fail('spec.group', 'Required value');
  const plural = text(names['plural']) ?? fail('spec.names.plural', 'Required value');
  const kind = text(names['kind']) ?? fail('spec.names.kind', 'Required value');
  if (name !== `${plural}.${group}`) fail('metadata.name', `must be spec.names.plural+"."+spec.group`);
  const scope = spec['scope'];
  if (scope !== 'Namespaced' && scope !== 'Cluster')
    fail('spec.scope', 'Unsupported value: must be "Cluster" or "Namespaced"');

  const versions = (Array.isArray(spec['versions']) ? spec['versions'] : [])
    .map(record)
    .filter((v) => text(v['name']) !== undefined);
  const served = versions.filter((v) => v['served'] !== false);
  if (served.length === 0) fail('spec.versions', 'must have at least one served version');
  served.sort((a, b) => compareVersions(String(a['name']), String(b['name'])));
  const storage = versions.find((v) => v['storage'] === true) ?? served[0]!;

  const columns = printerColumns(storage);
  const scale = scaleOf(storage);
  return {
    group,
    versions: served.map((v) => String(v['name'])),
    plural,
    singular: text(names['singular']) ?? kind.toLowerCase(),
    kind,
    listKind: text(names['listKind']) ?? `${kind}List`,
    namespaced: scope === 'Namespaced',
    shortNames: strings(names['shortNames']),
    categories: strings(names['categories']),
    verbs: STANDARD_VERBS,
    statusSubresource: isPlainObject(record(storage['subresources'])['status']),
    ...(scale === undefined ? {} : { scale }),
    tracksGeneration: true,
    custom: true,
    ...(columns === undefined ? {} : { printerColumns: columns }),
  };
}

/** The status a healthy apiextensions controller would report for `crd`. */
export function establishedStatus(crd: KubeObject, now: string): Record<string, unknown> {
  const spec = record(crd['spec']);
  const previous = record(crd['status']);
  const previousConditions = Array.isArray(previous['conditions']) ? previous['conditions'].map(record) : [];
  // Transition times stay put while a condition stays True, so re-applying a CRD is a no-op.
  const condition = (type: string, reason: string, message: string): Record<string, unknown> => ({
    type,
    status: 'True',
    lastTransitionTime:
      previousConditions.find((c) => c['type'] === type && c['status'] === 'True')?.['lastTransitionTime'] ??
      now,
    reason,
    message,
  });
  return {
    ...previous,
    acceptedNames: spec['names'] ?? {},
    storedVersions:
      strings(previous['storedVersions']).length > 0
        ? previous['storedVersions']
        : (Array.isArray(spec['versions']) ? spec['versions'] : [])
            .map(record)
            .filter((v) => v['storage'] === true)
            .map((v) => v['name']),
    conditions: [
      condition('NamesAccepted', 'NoConflicts', 'no conflicts found'),
      condition('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
    ],
  };
}
