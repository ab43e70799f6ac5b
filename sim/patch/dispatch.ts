/**
 * Picks the patch engine for a PATCH request's Content-Type, as the API server does. Strategic merge is
 * refused for custom resources (415), like on a real server; server-side apply is approximated (apply.ts).
 */
import { badRequest, unsupportedMediaType } from '../errors.ts';
import type { ResourceType } from '../resources/resource-type.ts';
import { isPlainObject } from '../types.ts';
import { serverSideApply } from './apply.ts';
import { applyJsonPatch } from './json-patch.ts';
import { applyMergePatch } from './merge-patch.ts';
import { applyStrategicMergePatch } from './strategic-merge.ts';
import { builtinStrategies } from './strategic-schema.ts';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

export type PatchFunction = (current: unknown) => unknown;

/** `previousApply`: the configuration the same field manager applied last time (server-side apply only). */
export function patchFunction(
  contentType: string,
  patch: unknown,
  type: ResourceType,
  previousApply?: unknown,
): PatchFunction {
  switch (contentType) {
    case JSON_PATCH:
      return (current) => applyJsonPatch(current, patch);
    case MERGE_PATCH:
      if (!isPlainObject(patch)) throw badRequest('a merge patch must be a JSON object');
      return (current) => applyMergePatch(current, patch);
    case STRATEGIC_MERGE_PATCH:
      if (type.custom) throw unsupportedMediaType(`${contentType} is not supported for custom resources`);
      return (current) => applyStrategicMergePatch(current, patch, builtinStrategies(type.kind));
    case APPLY_PATCH:
      if (!isPlainObject(patch)) throw badRequest('an apply patch must be an object');
      return (current) => serverSideApply(current, patch, previousApply, type);
    default:
      throw unsupportedMediaType(contentType);
  }
}
