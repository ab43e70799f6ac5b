/**
 * Server-side printing columns (what `kubectl get` shows), per kind. They mirror the real API server's
 * printers closely enough that `kubectl get nodes|pods|deploy` output looks like a real cluster's.
 */
import type { PrinterColumn, ResourceType } from '../resources/resource-type.ts';
import type { KubeObject } from '../types.ts';
import { isPlainObject } from '../types.ts';
import { humanDuration } from './human-duration.ts';
import { evaluateJsonPath } from './json-path.ts';

export interface Column {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly format: string;
  readonly description: string;
  readonly priority: number;
  cell(object: KubeObject, now: number): unknown;
}

type Record_ = Record<string, unknown>;

function rec(value: unknown): Record_ {
  return isPlainObject(value) ? value : {};
}
function list(value: unknown): Record_[] {
  return Array.isArray(value) ? value.map(rec) : [];
}
function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
function str(value: unknown, fallback = '<none>'): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

function col(
  name: string,
  cell: Column['cell'],
  options: Partial<Omit<Column, 'cell' | 'name'>> = {},
): Column {
  return { name, type: 'string', format: '', description: '', priority: 0, ...options, cell };
}

const NAME = col('Name', (o) => o.metadata.name, {
  format: 'name',
  description: 'Name must be unique within a namespace.',
});
const AGE = col('Age', (o, now) => age(o.metadata.creationTimestamp, now), {
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
});

function age(timestamp: unknown, now: number): string {
  if (typeof timestamp !== 'string') return '<unknown>';
  return humanDuration(now - Date.parse(timestamp));
}

const spec = (o: KubeObject): Record_ => rec(o['spec']);
const status = (o: KubeObject): Record_ => rec(o['status']);
const podContainers = (template: Record_): Record_[] => list(rec(template['spec'])['containers']);
const containerNames = (cs: Record_[]): string => cs.map((c) => str(c['name'], '')).join(',');
const containerImages = (cs: Record_[]): string => cs.map((c) => str(c['image'], '')).join(',');

function selectorText(selector: unknown): string {
  const labels = rec(rec(selector)['matchLabels']);
  const text = Object.entries(labels)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
  return text === '' ? '<none>' : text;
}

function nodeStatus(o: KubeObject): string {
  const ready = list(status(o)['conditions']).find((c) => c['type'] === 'Ready');
  let text = ready?.['status'] === 'True' ? 'Ready' : 'NotReady';
  if (ready === undefined) text = 'Unknown';
  if (spec(o)['unschedulable'] === true) text += ',SchedulingDisabled';
  return text;
}

function nodeRoles(o: KubeObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(o.metadata.labels ?? {})) {
    if (key.startsWith('node-role.kubernetes.io/')) roles.add(key.slice('node-role.kubernetes.io/'.length));
    else if (key === 'kubernetes.io/role') roles.add(value);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

function nodeAddress(o: KubeObject, type: string): string {
  return str(list(status(o)['addresses']).find((a) => a['type'] === type)?.['address']);
}

function podStatusText(o: KubeObject): string {
  if (o.metadata.deletionTimestamp !== undefined) return 'Terminating';
  const s = status(o);
  for (const cs of list(s['containerStatuses'])) {
    const state = rec(cs['state']);
    const waiting = rec(state['waiting'])['reason'];
    if (typeof waiting === 'string') return waiting;
    const terminated = rec(state['terminated'])['reason'];
    if (typeof terminated === 'string') return terminated;
  }
  return str(s['reason'], str(s['phase'], 'Unknown'));
}

function podReady(o: KubeObject): string {
  const statuses = list(status(o)['containerStatuses']);
  return `${statuses.filter((c) => c['ready'] === true).length}/${list(spec(o)['containers']).length}`;
}

function podRestarts(o: KubeObject): number {
  return list(status(o)['containerStatuses']).reduce((sum, c) => sum + num(c['restartCount']), 0);
}

function servicePorts(o: KubeObject): string {
  const ports = list(spec(o)['ports']).map((p) => {
    const node = typeof p['nodePort'] === 'number' ? `:${p['nodePort']}` : '';
    return `${String(p['port'])}${node}/${str(p['protocol'], 'TCP')}`;
  });
  return ports.length === 0 ? '<none>' : ports.join(',');
}

function dataCount(o: KubeObject): number {
  return Object.keys(rec(o['data'])).length + Object.keys(rec(o['binaryData'])).length;
}

const int = { type: 'integer' } as const;
const wide = { priority: 1 } as const;

const BY_KIND: Readonly<Record<string, readonly Column[]>> = {
  Node: [
    NAME,
    col('Status', nodeStatus),
    col('Roles', nodeRoles),
    AGE,
    col('Version', (o) => str(rec(status(o)['nodeInfo'])['kubeletVersion'], '')),
    col('Internal-IP', (o) => nodeAddress(o, 'InternalIP'), wide),
    col('External-IP', (o) => nodeAddress(o, 'ExternalIP'), wide),
    col('OS-Image', (o) => str(rec(status(o)['nodeInfo'])['osImage'], '<unknown>'), wide),
    col('Kernel-Version', (o) => str(rec(status(o)['nodeInfo'])['kernelVersion'], '<unknown>'), wide),
    col(
      'Container-Runtime',
      (o) => str(rec(status(o)['nodeInfo'])['containerRuntimeVersion'], '<unknown>'),
      wide,
    ),
  ],
  Pod: [
    NAME,
    col('Ready', podReady),
    col('Status', podStatusText),
    col('Restarts', podRestarts, int),
    AGE,
    col('IP', (o) => str(status(o)['podIP']), wide),
    col('Node', (o) => str(spec(o)['nodeName']), wide),
    col('Nominated Node', (o) => str(status(o)['nominatedNodeName']), wide),
    col('Readiness Gates', () => '<none>', wide),
  ],
  Deployment: [
    NAME,
    col('Ready', (o) => `${num(status(o)['readyReplicas'])}/${num(spec(o)['replicas'] ?? 1)}`),
    col('Up-to-date', (o) => num(status(o)['updatedReplicas']), int),
    col('Available', (o) => num(status(o)['availableReplicas']), int),
    AGE,
    col('Containers', (o) => containerNames(podContainers(rec(spec(o)['template']))), wide),
    col('Images', (o) => containerImages(podContainers(rec(spec(o)['template']))), wide),
    col('Selector', (o) => selectorText(spec(o)['selector']), wide),
  ],
  StatefulSet: [
    NAME,
    col('Ready', (o) => `${num(status(o)['readyReplicas'])}/${num(spec(o)['replicas'] ?? 1)}`),
    AGE,
    col('Containers', (o) => containerNames(podContainers(rec(spec(o)['template']))), wide),
    col('Images', (o) => containerImages(podContainers(rec(spec(o)['template']))), wide),
  ],
  DaemonSet: [
    NAME,
    col('Desired', (o) => num(status(o)['desiredNumberScheduled']), int),
    col('Current', (o) => num(status(o)['currentNumberScheduled']), int),
    col('Ready', (o) => num(status(o)['numberReady']), int),
    col('Up-to-date', (o) => num(status(o)['updatedNumberScheduled']), int),
    col('Available', (o) => num(status(o)['numberAvailable']), int),
    col('Node Selector', (o) => {
      const selector = Object.entries(rec(rec(rec(spec(o)['template'])['spec'])['nodeSelector']));
      return selector.length === 0 ? '<none>' : selector.map(([k, v]) => `${k}=${String(v)}`).join(',');
    }),
    AGE,
  ],
  ReplicaSet: [
    NAME,
    col('Desired', (o) => num(spec(o)['replicas'] ?? 1), int),
    col('Current', (o) => num(status(o)['replicas']), int),
    col('Ready', (o) => num(status(o)['readyReplicas']), int),
    AGE,
  ],
  Namespace: [NAME, col('Status', (o) => str(status(o)['phase'], 'Active')), AGE],
  Service: [
    NAME,
    col('Type', (o) => str(spec(o)['type'], 'ClusterIP')),
    col('Cluster-IP', (o) => str(spec(o)['clusterIP'])),
    col('External-IP', (o) => {
      const ingress = list(rec(status(o)['loadBalancer'])['ingress']).map((i) =>
        str(i['ip'], str(i['hostname'], '')),
      );
      return ingress.length === 0 ? '<none>' : ingress.join(',');
    }),
    col('Port(s)', servicePorts),
    AGE,
  ],
  ConfigMap: [NAME, col('Data', dataCount, int), AGE],
  Secret: [NAME, col('Type', (o) => str(o['type'], 'Opaque')), col('Data', dataCount, int), AGE],
  Event: [
    col('Last Seen', (o, now) =>
      age(o['lastTimestamp'] ?? o['eventTime'] ?? o.metadata.creationTimestamp, now),
    ),
    col('Type', (o) => str(o['type'], '')),
    col('Reason', (o) => str(o['reason'], '')),
    col('Object', (o) => {
      const involved = rec(o['involvedObject']);
      return `${str(involved['kind'], '').toLowerCase()}/${str(involved['name'], '')}`;
    }),
    col('Message', (o) => str(o['message'], '')),
  ],
  CustomResourceDefinition: [
    NAME,
    col('Created At', (o) => o.metadata.creationTimestamp ?? '', { type: 'date' }),
  ],
};

function printerColumn(column: PrinterColumn): Column {
  const type =
    column.type === 'integer' ||
    column.type === 'number' ||
    column.type === 'boolean' ||
    column.type === 'date'
      ? column.type
      : 'string';
  return {
    name: column.name,
    type,
    format: column.format ?? '',
    description: column.description ?? '',
    priority: column.priority ?? 0,
    cell: (object, now) => {
      const value = evaluateJsonPath(object, column.jsonPath)[0];
      if (value === undefined) return null;
      if (type === 'date' && typeof value === 'string') return age(value, now);
      return typeof value === 'object' ? JSON.stringify(value) : value;
    },
  };
}

const GENERIC: readonly Column[] = [
  NAME,
  col('Created At', (o) => o.metadata.creationTimestamp ?? '', {
    type: 'date',
    description: 'CreationTimestamp',
  }),
];

export function columnsFor(type: ResourceType): readonly Column[] {
  if (type.custom)
    return type.printerColumns === undefined
      ? [NAME, AGE]
      : [NAME, ...type.printerColumns.map(printerColumn)];
  return (
    BY_KIND[type.kind] ??
    (type.group === '' || type.group === 'apps' || type.group === 'batch' ? [NAME, AGE] : GENERIC)
  );
}
