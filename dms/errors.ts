/**
 * The error model of the DMS domain (shared contract of packages and lifecycle): a code per client
 * mistake, mapped to an HTTP status by the REST facade through DMS_ERROR_CODES.
 */
export const DMS_ERROR_CODES = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID: 400,
  UNPROCESSABLE: 422,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
} as const;

export type DmsErrorCode = keyof typeof DMS_ERROR_CODES;

export class DmsError extends Error {
  constructor(
    readonly code: DmsErrorCode,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'DmsError';
  }
}
