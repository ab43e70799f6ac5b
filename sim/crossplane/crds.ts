/**
 * The API types a Crossplane v2 installation serves on its management cluster, as CRDs: the
 * CompositeResourceDefinition (XRD) and the Composition (apiextensions.crossplane.io/v1, cluster-scoped), and
 * the CRD that Crossplane generates from each XRD for its composite kind (namespaced in v2, no claims).
 */
import type { KubeObject } from '../types.ts';
import { isPlainObject } from '../types.ts';

export const CROSSPLANE_GROUP = 'apiextensions.crossplane.io';
export const CROSSPLANE_API_VERSION = `${CROSSPLANE_GROUP}/v1`;

/** Any object, unvalidated: the simulator does not check custom objects against schemas (sim/README.md). */
const OPEN_SCHEMA = { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };

function crossplaneCrd(plural: string, kind: string, shortNames: string[]): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${CROSSPLANE_GROUP}` },
    spec: {
      group: CROSSPLANE_GROUP,
      scope: 'Cluster',
      names: {
        plural,
        kind,
        singular: kind.toLowerCase(),
        listKind: `${kind}List`,
        shortNames,
        categories: ['crossplane'],
      },
      versions: [
        { name: 'v1', served: true, storage: true, schema: OPEN_SCHEMA, subresources: { status: {} } },
      ],
    },
  };
}

/** The two CRDs `helm install crossplane` brings that the provisioning API reads. */
export function crossplaneCrds(): KubeObject[] {
  return [
    crossplaneCrd('compositeresourcedefinitions', 'CompositeResourceDefinition', ['xrd', 'xrds']),
    crossplaneCrd('compositions', 'Composition', ['comp']),
  ];
}

function record(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

/**
 * The CRD of an XRD's composite kind, as Crossplane derives it: same group, names and versions (with their
 * schemas), Namespaced unless the XRD says otherwise, a status subresource, and the Synced/Ready columns.
 */
export function compositeCrdOf(xrd: KubeObject): KubeObject {
  const spec = record(xrd['spec']);
  const names = record(spec['names']);
  const versions = (Array.isArray(spec['versions']) ? spec['versions'] : []).map(record).map((v) => ({
    name: v['name'],
    served: v['served'] !== false,
    storage: v['referenceable'] === true,
    schema: isPlainObject(v['schema']) ? v['schema'] : OPEN_SCHEMA,
    subresources: { status: {} },
    additionalPrinterColumns: [
      { name: 'SYNCED', type: 'string', jsonPath: ".status.conditions[?(@.type=='Synced')].status" },
      { name: 'READY', type: 'string', jsonPath: ".status.conditions[?(@.type=='Ready')].status" },
      { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
  }));
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: xrd.metadata.name,
      labels: { 'crossplane.io/xrd': xrd.metadata.name },
    },
    spec: {
      group: spec['group'],
      scope: spec['scope'] === 'Cluster' ? 'Cluster' : 'Namespaced',
      names: { ...names, categories: ['composite'] },
      versions,
    },
  };
}
