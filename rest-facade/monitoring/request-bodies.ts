/**
 * Validation of the monitoring API's request bodies, before anything is read from or written to the store.
 * Every refusal is a ProblemError whose detail names the rule that failed, never the offending input.
 *
 *   PATCH alarms/{id}                 merge patch with exactly one of `alarmAcknowledged: true` (acknowledge)
 *                                     or `perceivedSeverity: 5` (clear); anything else is a 400
 *   PUT alarmServiceConfiguration     the whole configuration: `retentionPeriod` (integer days ≥ 1), `extensions`
 *   PATCH alarmServiceConfiguration   merge patch of either (RFC 7396: null removes an extension)
 */
import { PERCEIVED_SEVERITY } from '../../alarms/alarm-record.ts';
import type { AlarmServiceConfiguration } from '../../alarms/service-configuration.ts';
import { ProblemError } from '../problem.ts';

export const MERGE_PATCH = 'application/merge-patch+json';

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';', 1)[0]!.trim().toLowerCase();
}

function bad(detail: string): ProblemError {
  return new ProblemError(400, detail);
}

/**
 * The JSON object of a body. Merge patches must say so (RFC 7396); plain `application/json` is accepted for
 * them too, since its reading is the same and curl users send it by default. Other media types are a 415.
 */
export function jsonObjectBody(
  contentType: string | undefined,
  raw: Buffer,
  accepted: readonly string[],
): Record<string, unknown> {
  const type = mediaType(contentType);
  if (type === undefined || !accepted.includes(type)) {
    throw new ProblemError(415, `the body must be one of: ${accepted.join(', ')}`);
  }
  if (raw.length === 0) throw bad('a request body is required');
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw bad('the body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw bad('the body must be a JSON object');
  return body as Record<string, unknown>;
}

export type AlarmModification = { readonly kind: 'acknowledge' } | { readonly kind: 'clear' };

const ALARM_PATCH_MEMBERS: ReadonlySet<string> = new Set(['alarmAcknowledged', 'perceivedSeverity']);

/** An AlarmEventRecordModifications patch: one modification per request, so its outcome is unambiguous. */
export function parseAlarmPatch(body: Record<string, unknown>): AlarmModification {
  const members = Object.keys(body);
  if (members.some((name) => !ALARM_PATCH_MEMBERS.has(name))) {
    throw bad('an alarm patch may hold alarmAcknowledged or perceivedSeverity only');
  }
  if (members.length === 0)
    throw bad('the patch is empty: send {"alarmAcknowledged": true} or {"perceivedSeverity": 5}');
  if (members.length > 1)
    throw bad(
      'acknowledge and clear are separate requests: send alarmAcknowledged or perceivedSeverity, not both',
    );
  if (Object.hasOwn(body, 'alarmAcknowledged')) {
    // An acknowledgement cannot be taken back: O2 defines only the transition to acknowledged.
    if (body['alarmAcknowledged'] !== true) throw bad('alarmAcknowledged can only be set to true');
    return { kind: 'acknowledge' };
  }
  if (body['perceivedSeverity'] !== PERCEIVED_SEVERITY.CLEARED) {
    throw bad('perceivedSeverity can only be set to 5 (CLEARED); severities are set by the alarm source');
  }
  return { kind: 'clear' };
}

function retentionPeriodOf(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw bad('retentionPeriod must be a whole number of days, at least 1');
  }
  return value;
}

function extensionsOf(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw bad('extensions must be a JSON object');
  return value as Record<string, unknown>;
}

const CONFIGURATION_MEMBERS: ReadonlySet<string> = new Set(['retentionPeriod', 'extensions']);

function rejectUnknown(body: Record<string, unknown>): void {
  if (Object.keys(body).some((name) => !CONFIGURATION_MEMBERS.has(name))) {
    throw bad('the alarm service configuration has retentionPeriod and extensions only');
  }
}

/** PUT: a complete configuration (both members are required by O2IMS). */
export function parseConfigurationPut(body: Record<string, unknown>): AlarmServiceConfiguration {
  rejectUnknown(body);
  if (!Object.hasOwn(body, 'retentionPeriod')) throw bad('retentionPeriod is required');
  if (!Object.hasOwn(body, 'extensions')) throw bad('extensions is required (send {} for none)');
  return {
    retentionPeriod: retentionPeriodOf(body['retentionPeriod']),
    extensions: extensionsOf(body['extensions']),
  };
}

/** RFC 7396 merge of a patch into a JSON value. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result = new Map<string, unknown>(
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? Object.entries(target as Record<string, unknown>)
      : [],
  );
  for (const [name, value] of Object.entries(patch as Record<string, unknown>)) {
    if (value === null) result.delete(name);
    else result.set(name, mergePatch(result.get(name), value));
  }
  return Object.fromEntries(result);
}

/** PATCH: a merge patch of the configuration; removing a required member (null) is refused. */
export function applyConfigurationPatch(
  current: AlarmServiceConfiguration,
  body: Record<string, unknown>,
): AlarmServiceConfiguration {
  rejectUnknown(body);
  if (Object.keys(body).length === 0) throw bad('the patch is empty');
  let { retentionPeriod, extensions } = current;
  if (Object.hasOwn(body, 'retentionPeriod')) retentionPeriod = retentionPeriodOf(body['retentionPeriod']);
  if (Object.hasOwn(body, 'extensions')) {
    if (body['extensions'] === null)
      throw bad('extensions cannot be removed; send {} members with null to remove them');
    extensions = extensionsOf(mergePatch(current.extensions, extensionsOf(body['extensions'])));
  }
  return { retentionPeriod, extensions };
}
