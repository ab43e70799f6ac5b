/**
 * An O2 Resource-like schema and objects, shared by the tests and the benchmark of this folder (they
 * mirror `Resource` in schema/cluster.graphql plus a few attributes that exercise every type).
 */
import { Sol013Error } from '../o2/sol013/errors.ts';
import type { AttributeSchema } from '../o2/sol013/schema.ts';
import type { SelectorSpec } from '../o2/sol013/selectors.ts';

export const RESOURCE_SCHEMA = {
  resourceId: 'uuid',
  resourcePoolId: 'uuid',
  resourceTypeId: 'uuid',
  globalAssetId: 'string',
  description: 'string',
  cpuCount: 'integer',
  memoryGiB: 'number',
  schedulable: 'boolean',
  createdAt: 'datetime',
  tags: { array: 'string' },
  groups: { array: 'string' },
  extensions: 'object',
  elements: {
    array: {
      object: {
        resourceId: 'uuid',
        resourceTypeId: 'uuid',
        description: 'string',
        extensions: 'object',
      },
    },
  },
  location: {
    object: { site: 'string', rack: 'integer', coordinates: { object: { lat: 'number', lon: 'number' } } },
  },
} as const satisfies AttributeSchema;

export const RESOURCE_SELECTORS: SelectorSpec = {
  schema: RESOURCE_SCHEMA,
  defaultExcluded: [['extensions'], ['elements', 'extensions']],
  mandatory: ['resourceId', 'resourcePoolId', 'resourceTypeId', 'description', 'elements'],
};

/** A deterministic UUID-shaped id (lower-case hex). */
export function fakeUuid(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${hex}`;
}

/** A node-like Resource with a few elements, deterministic in `n`. */
export function makeResource(n: number): Record<string, unknown> {
  return {
    resourceId: fakeUuid(n),
    resourcePoolId: fakeUuid(1000 + (n % 7)),
    resourceTypeId: fakeUuid(2000 + (n % 5)),
    globalAssetId: `urn:asset:node-${n}`,
    description: `worker node ${n} in rack ${n % 12}`,
    cpuCount: 8 << (n % 4),
    memoryGiB: 32 * (1 + (n % 8)),
    schedulable: n % 10 !== 0,
    createdAt: new Date(Date.UTC(2024, 0, 1) + n * 3_600_000).toISOString(),
    tags: n % 3 === 0 ? ['gpu', 'edge'] : ['edge'],
    groups: [],
    extensions: {
      'topology.kubernetes.io/zone': `zone-${n % 3}`,
      'netweave.io/pool': `pool-${n % 7}`,
      capacity: { cpu: String(8 << (n % 4)), memory: `${32 * (1 + (n % 8))}Gi` },
      gpus: n % 3 === 0 ? 2 : 0,
    },
    elements: [
      {
        resourceId: fakeUuid(100_000 + n * 4),
        resourceTypeId: fakeUuid(3000),
        description: 'cpu',
        extensions: { cores: 8 },
      },
      {
        resourceId: fakeUuid(100_001 + n * 4),
        resourceTypeId: fakeUuid(3001),
        description: 'memory',
        extensions: {},
      },
      {
        resourceId: fakeUuid(100_002 + n * 4),
        resourceTypeId: fakeUuid(n % 3 === 0 ? 3002 : 3003),
        description: n % 3 === 0 ? 'nvidia gpu' : 'nic',
        extensions: { vendor: n % 3 === 0 ? 'nvidia' : 'intel' },
      },
    ],
    location: { site: `site-${n % 4}`, rack: n % 12, coordinates: { lat: 48.1 + n / 1000, lon: 11.5 } },
  };
}

/** The Sol013Error that `run` throws; fails (with the original as cause) on anything else. */
export function sol013ErrorOf(run: () => unknown): Sol013Error {
  try {
    run();
  } catch (error) {
    if (error instanceof Sol013Error) return error;
    throw new Error('expected a Sol013Error, got another error', { cause: error });
  }
  throw new Error('expected a Sol013Error, nothing was thrown');
}
