/** Server-side metadata rules: timestamps, generated names, name validation. */
import { randomInt } from 'node:crypto';
import { invalid } from '../errors.ts';
import type { ResourceType } from '../resources/resource-type.ts';

/** RFC 3339 with second precision, as the API server writes metav1.Time. */
export function formatTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The alphabet the API server draws generated-name suffixes from (no vowels, no look-alikes). */
export const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += SUFFIX_ALPHABET[randomInt(SUFFIX_ALPHABET.length)];
  return out;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Namespaces need DNS labels; RBAC objects only path-safe names (`system:controller:…` is common);
 * everything else DNS subdomains.
 */
export function validateName(type: ResourceType, name: string): void {
  const fail = (message: string): never => {
    throw invalid(type, name, 'metadata.name', `Invalid value: "${name}": ${message}`);
  };
  if (name === '') fail('name or generateName is required');
  if (type.group === 'rbac.authorization.k8s.io') {
    if (name === '.' || name === '..' || /[/%]/.test(name)) fail('may not contain "/" or "%"');
    return;
  }
  if (type.kind === 'Namespace') {
    if (name.length > 63 || !DNS_LABEL.test(name))
      fail("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'");
    return;
  }
  if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    fail(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    );
  }
}

const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function validKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && QUALIFIED_NAME.test(name);
}

/** Label and annotation rules of the API server (what `kubectl label` users hit on real clusters). */
export function validateLabelsAndAnnotations(
  type: ResourceType,
  name: string,
  meta: { labels?: unknown; annotations?: unknown },
): void {
  const check = (field: 'labels' | 'annotations', value: unknown): void => {
    if (value === undefined) return;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw invalid(type, name, `metadata.${field}`, 'must be a map of strings');
    for (const [key, v] of Object.entries(value)) {
      if (!validKey(key))
        throw invalid(
          type,
          name,
          `metadata.${field}`,
          `Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
        );
      if (typeof v !== 'string') throw invalid(type, name, `metadata.${field}.${key}`, 'must be a string');
      if (field === 'labels' && v !== '' && (v.length > 63 || !QUALIFIED_NAME.test(v))) {
        throw invalid(
          type,
          name,
          `metadata.labels`,
          `Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
        );
      }
    }
  };
  check('labels', meta.labels);
  check('annotations', meta.annotations);
}
