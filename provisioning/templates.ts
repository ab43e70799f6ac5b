/**
 * Managed infrastructure templates from Crossplane (docs/provisioning.md "Templates"): one per Composition
 * labelled with a template name and version; its parameter schema is the XRD's `spec.parameters` schema of
 * the composite type the Composition composes, its timeout the Composition's annotation.
 */
import { uuidV5 } from '../o2/ids.ts';
import {
  DEFAULT_TEMPLATE_TIMEOUT_SECONDS,
  DESCRIPTION_ANNOTATION,
  TEMPLATE_NAME_LABEL,
  TEMPLATE_VERSION_LABEL,
  TIMEOUT_ANNOTATION,
  type CompositeType,
  type KubeObject,
  type Template,
} from './model.ts';

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** A Go-style duration (`1h30m`, `45m`, `90s`) in seconds; undefined when it is not one. */
export function parseDuration(value: string): number | undefined {
  const match = DURATION.exec(value.trim());
  if (match === null || value.trim() === '') return undefined;
  const [, h, m, s] = match;
  return Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}

export function templateId(name: string, version: string): string {
  return uuidV5(`managed-infrastructure-template/${name}.${version}`);
}

/** The XRD's composite types (group, served versions' schemas, plural) by `<group>/<kind>`. */
interface XrdVersion {
  readonly type: CompositeType;
  readonly parameters: Json;
}

function xrdVersions(xrd: KubeObject): XrdVersion[] {
  const spec = record(xrd.spec);
  const names = record(spec['names']);
  const group = text(spec['group']);
  const kind = text(names['kind']);
  const plural = text(names['plural']);
  if (group === undefined || kind === undefined || plural === undefined) return [];
  const versions = Array.isArray(spec['versions']) ? spec['versions'].map(record) : [];
  return versions.flatMap((version) => {
    const name = text(version['name']);
    if (name === undefined) return [];
    const schema = record(record(version['schema'])['openAPIV3Schema']);
    const parameters = record(
      record(record(record(schema['properties'])['spec'])['properties'])['parameters'],
    );
    return [{ type: { group, version: name, kind, plural }, parameters }];
  });
}

/** Every labelled Composition whose composite type an XRD defines, ordered by name then version. */
export function templatesOf(compositions: readonly KubeObject[], xrds: readonly KubeObject[]): Template[] {
  const byApiVersionKind = new Map<string, XrdVersion>();
  for (const xrd of xrds)
    for (const version of xrdVersions(xrd))
      byApiVersionKind.set(`${version.type.group}/${version.type.version}:${version.type.kind}`, version);
  const templates: Template[] = [];
  for (const composition of compositions) {
    const labels = composition.metadata?.labels ?? {};
    const name = labels[TEMPLATE_NAME_LABEL];
    const version = labels[TEMPLATE_VERSION_LABEL];
    const compositionName = composition.metadata?.name;
    if (name === undefined || version === undefined || compositionName === undefined) continue;
    const ref = record(record(composition.spec)['compositeTypeRef']);
    const xrd = byApiVersionKind.get(`${String(ref['apiVersion'])}:${String(ref['kind'])}`);
    if (xrd === undefined) continue;
    const annotations = composition.metadata?.annotations ?? {};
    const timeout = annotations[TIMEOUT_ANNOTATION];
    templates.push({
      templateId: templateId(name, version),
      name,
      version,
      description: annotations[DESCRIPTION_ANNOTATION] ?? `Crossplane Composition ${compositionName}`,
      parameterSchema: { type: 'object', ...xrd.parameters },
      timeoutSeconds:
        (timeout === undefined ? undefined : parseDuration(timeout)) ?? DEFAULT_TEMPLATE_TIMEOUT_SECONDS,
      compositionName,
      compositeType: xrd.type,
    });
  }
  return templates.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** The defaults the schema declares (`default` of each property, nested objects included). */
export function schemaDefaults(schema: Record<string, unknown>): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(record(schema['properties']))) {
    const p = record(property);
    if ('default' in p) defaults[key] = p['default'];
    else if (p['type'] === 'object') {
      const nested = schemaDefaults(p);
      if (Object.keys(nested).length > 0) defaults[key] = nested;
    }
  }
  return defaults;
}
