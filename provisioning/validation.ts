/**
 * Request validation (docs/provisioning.md "Requests"): the ProvisioningRequestData body, then its
 * `templateParameters` against the template's parameter schema, with ajv. A violation is a 400 whose
 * message names the JSON path of the offending value, e.g. `/templateParameters/nodeCount must be <= 20`.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { graphError } from '../common/errors.ts';
import type { ProvisioningRequestData, Template } from './model.ts';

const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false });
ajvFormats.default(ajv);

/** A Kubernetes object name that is also a netweave cluster id (DNS label). */
export const CLUSTER_NAME = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';

const REQUEST_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: [
    'provisioningRequestId',
    'name',
    'description',
    'templateName',
    'templateVersion',
    'templateParameters',
  ],
  properties: {
    provisioningRequestId: { type: 'string', format: 'uuid' },
    // The name of the composite and of the new cluster (its netweave cluster id).
    name: { type: 'string', pattern: CLUSTER_NAME },
    description: { type: 'string', maxLength: 1024 },
    templateName: { type: 'string', minLength: 1 },
    templateVersion: { type: 'string', minLength: 1 },
    templateParameters: { type: 'object' },
  },
} as const;

const validateRequest = ajv.compile(REQUEST_SCHEMA);
const parameterValidators = new Map<string, ValidateFunction>();

function describe(errors: readonly ErrorObject[], prefix: string): string {
  return errors
    .map((e) => {
      const path = `${prefix}${e.instancePath}`;
      const extra =
        e.keyword === 'additionalProperties'
          ? ` (${String((e.params as { additionalProperty?: unknown }).additionalProperty)})`
          : '';
      return `${path === '' ? 'the body' : path} ${e.message ?? 'is invalid'}${extra}`;
    })
    .join('; ');
}

/** The body as ProvisioningRequestData, or a BAD_USER_INPUT error naming each violating path. */
export function validateRequestData(body: unknown): ProvisioningRequestData {
  if (!validateRequest(body)) throw graphError('BAD_USER_INPUT', describe(validateRequest.errors ?? [], ''));
  return body as ProvisioningRequestData;
}

/** Checks `templateParameters` against the template's schema (BAD_USER_INPUT naming the path). */
export function validateParameters(template: Template, parameters: Record<string, unknown>): void {
  const key = `${template.templateId}:${JSON.stringify(template.parameterSchema)}`;
  let validate = parameterValidators.get(key);
  if (validate === undefined) {
    try {
      validate = ajv.compile(template.parameterSchema);
    } catch (error) {
      throw graphError(
        'UNPROCESSABLE',
        `the parameter schema of template ${template.name}.${template.version} is not a valid schema: ${(error as Error).message}`,
      );
    }
    parameterValidators.set(key, validate);
  }
  if (!validate(parameters))
    throw graphError('BAD_USER_INPUT', describe(validate.errors ?? [], '/templateParameters'));
}
