/**
 * Minimal OpenAPI v3 documents. kubectl (apply, create, replace) downloads them before writing to decide
 * whether the server validates fields itself: it looks for PATCH operations tagged with the object's
 * group/version/kind that accept the `fieldValidation` query parameter. Declaring that (true: the store
 * rejects malformed objects itself) lets kubectl skip its client-side schema validation, which would need
 * full schemas. No request body is declared, so kubectl computes strategic merge patches from its
 * compiled-in types, as it does against servers without OpenAPI.
 */
import { createHash } from 'node:crypto';
import type { ResourceRegistry } from '../resources/registry.ts';
import type { ResourceType } from '../resources/resource-type.ts';

const WRITE_PARAMETERS = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({
  name,
  in: 'query',
  schema: { type: 'string', uniqueItems: true },
}));

function groupVersionKey(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

function patchOperation(type: ResourceType, version: string): Record<string, unknown> {
  return {
    operationId: `patch${type.kind}`,
    parameters: WRITE_PARAMETERS,
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': 'patch',
    'x-kubernetes-group-version-kind': { group: type.group, version, kind: type.kind },
  };
}

/** The document of one group version, or undefined when nothing is served there. */
export function openApiGroupVersion(
  registry: ResourceRegistry,
  group: string,
  version: string,
): Record<string, unknown> | undefined {
  const types = registry.inGroupVersion(group, version);
  if (types.length === 0) return undefined;
  const prefix = `/${groupVersionKey(group, version)}`;
  const paths: Record<string, unknown> = {};
  for (const type of types) {
    const collection = type.namespaced
      ? `${prefix}/namespaces/{namespace}/${type.plural}`
      : `${prefix}/${type.plural}`;
    paths[`${collection}/{name}`] = { patch: patchOperation(type, version) };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'unversioned' },
    paths,
    components: { schemas: {} },
  };
}

function hashOf(document: unknown): string {
  return createHash('sha512').update(JSON.stringify(document)).digest('hex').toUpperCase();
}

/** `/openapi/v3`: each group version's relative URL, with a content hash clients cache by. */
export function openApiRoot(registry: ResourceRegistry): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const groupVersions: Array<[string, string]> = [
    ['', 'v1'],
    ...registry.groups().flatMap((g) => g.versions.map((v): [string, string] => [g.name, v])),
  ];
  for (const [group, version] of groupVersions) {
    const document = openApiGroupVersion(registry, group, version);
    if (document === undefined) continue;
    const key = groupVersionKey(group, version);
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hashOf(document)}` };
  }
  return { paths };
}

/** Resolves `/openapi/v3[/…]` to its document. */
export function openApiDocument(
  registry: ResourceRegistry,
  pathname: string,
): Record<string, unknown> | undefined {
  if (pathname === '/openapi/v3') return openApiRoot(registry);
  const rest = pathname.slice('/openapi/v3/'.length).split('/');
  if (rest[0] === 'api' && rest.length === 2) return openApiGroupVersion(registry, '', rest[1]!);
  if (rest[0] === 'apis' && rest.length === 3) return openApiGroupVersion(registry, rest[1]!, rest[2]!);
  return undefined;
}
