/**
 * API errors as the real API server reports them: a `Status` object with `reason` and `code`. Store
 * operations throw `SimApiError` so the programmatic store and the HTTP API fail the same way.
 */

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Gone'
  | 'Expired'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'UnsupportedMediaType'
  | 'RequestEntityTooLarge'
  | 'ServiceUnavailable'
  | 'InternalError';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: Array<{ reason?: string; message: string; field?: string }>;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class SimApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'SimApiError';
  }

  toStatus(): Status {
    const status: Status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details !== undefined) status.details = this.details;
    return status;
  }
}

/** The resource a message names: `pods` or `deployments.apps`, as kubectl users know them. */
export interface ResourceRef {
  readonly group: string;
  readonly plural: string;
}

function qualified(resource: ResourceRef): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}

function detailsOf(resource: ResourceRef, name: string): StatusDetails {
  const details: StatusDetails = { name, kind: resource.plural };
  if (resource.group !== '') details.group = resource.group;
  return details;
}

export function notFound(resource: ResourceRef, name: string): SimApiError {
  return new SimApiError(
    404,
    'NotFound',
    `${qualified(resource)} "${name}" not found`,
    detailsOf(resource, name),
  );
}

export function alreadyExists(resource: ResourceRef, name: string): SimApiError {
  return new SimApiError(
    409,
    'AlreadyExists',
    `${qualified(resource)} "${name}" already exists`,
    detailsOf(resource, name),
  );
}

export function conflict(resource: ResourceRef, name: string): SimApiError {
  return new SimApiError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    detailsOf(resource, name),
  );
}

export function invalid(
  resource: ResourceRef & { kind: string },
  name: string,
  field: string,
  message: string,
): SimApiError {
  const details: StatusDetails = {
    name,
    kind: resource.kind,
    causes: [{ reason: 'FieldValueInvalid', message, field }],
  };
  if (resource.group !== '') details.group = resource.group;
  return new SimApiError(
    422,
    'Invalid',
    `${resource.kind} "${name}" is invalid: ${field}: ${message}`,
    details,
  );
}

export function badRequest(message: string): SimApiError {
  return new SimApiError(400, 'BadRequest', message);
}

export function resourceNotFound(): SimApiError {
  return new SimApiError(404, 'NotFound', 'the server could not find the requested resource');
}

export function methodNotAllowed(method: string): SimApiError {
  return new SimApiError(
    405,
    'MethodNotAllowed',
    `the server does not allow this method on the requested resource (${method})`,
  );
}

export function unsupportedMediaType(contentType: string): SimApiError {
  return new SimApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml (got ${contentType})`,
  );
}

export function expired(message: string): SimApiError {
  return new SimApiError(410, 'Expired', message);
}

export function unauthorized(): SimApiError {
  return new SimApiError(401, 'Unauthorized', 'Unauthorized');
}

export function serviceUnavailable(message: string): SimApiError {
  return new SimApiError(503, 'ServiceUnavailable', message);
}

/** Anything thrown that is not a SimApiError is a simulator bug; it is reported, never hidden. */
export function toApiError(error: unknown): SimApiError {
  if (error instanceof SimApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SimApiError(500, 'InternalError', `Internal error occurred: ${message}`);
}
