/**
 * The one error type of the SOL013 library. Every code maps to HTTP 400 (a ProblemDetails with this
 * message as `detail`). Messages are built only from things the server owns — positions, clause numbers,
 * operator names, attribute paths that exist in the schema — never from the raw query text, so that a
 * 400 response cannot reflect attacker-chosen content back to a client or into a log line.
 */
export const SOL013_ERROR_CODES = [
  'FILTER_SYNTAX',
  'FILTER_ATTRIBUTE',
  'FILTER_OPERATOR',
  'FILTER_ARITY',
  'FILTER_TYPE',
  'SELECTOR',
  'MARKER',
] as const;

export type Sol013ErrorCode = (typeof SOL013_ERROR_CODES)[number];

export class Sol013Error extends Error {
  override readonly name = 'Sol013Error';
  readonly code: Sol013ErrorCode;

  constructor(code: Sol013ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
