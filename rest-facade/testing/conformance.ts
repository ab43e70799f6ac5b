/**
 * Checks that an answer of the facade conforms to netweave's OpenAPI document and to the reference O2 IMS
 * specifications. Throws with every violation listed.
 */
import { existsSync } from 'node:fs';
import type { HttpAnswer } from './harness.ts';
import {
  OWN_INVENTORY_DOCUMENT,
  OpenApiContract,
  REFERENCE_CLIENT_ERROR_SCHEMA,
  REFERENCE_COMMON_DOCUMENT,
  REFERENCE_INVENTORY_DOCUMENT,
} from './openapi-contract.ts';

let own: OpenApiContract | undefined;
let reference: OpenApiContract | undefined;

function ownContract(): OpenApiContract {
  own ??= new OpenApiContract([OWN_INVENTORY_DOCUMENT]);
  return own;
}

function referenceContract(): OpenApiContract {
  const extras = existsSync(REFERENCE_CLIENT_ERROR_SCHEMA) ? [REFERENCE_CLIENT_ERROR_SCHEMA] : [];
  reference ??= new OpenApiContract([REFERENCE_INVENTORY_DOCUMENT, REFERENCE_COMMON_DOCUMENT, ...extras]);
  return reference;
}

function mediaTypeOf(answer: HttpAnswer): string {
  return answer.contentType.split(';')[0]!.trim();
}

function fail(what: string, answer: HttpAnswer, errors: readonly string[]): never {
  throw new Error(
    `${what} (status ${answer.status}):\n  ${errors.join('\n  ')}\nbody: ${answer.text.slice(0, 2000)}`,
  );
}

/**
 * `path` is the OpenAPI path template of the GET operation that was called, or undefined for answers that no
 * operation declares (405 on a listed path, 404 on an unlisted one): those must be plain ProblemDetails.
 */
export function assertConformsToOwnDocument(path: string | undefined, answer: HttpAnswer): void {
  const contract = ownContract();
  const mediaType = mediaTypeOf(answer);
  let pointer: string | undefined = '/components/schemas/ProblemDetails';
  if (path !== undefined) {
    pointer = contract.responseSchemaPointer(path, 'get', answer.status, mediaType);
    if (pointer === undefined)
      fail(`netweave's document declares no ${mediaType} response for GET ${path}`, answer, []);
  } else if (mediaType !== 'application/problem+json') {
    fail('an undeclared answer must be ProblemDetails', answer, [`content type ${answer.contentType}`]);
  }
  const errors = contract.errors(pointer, answer.body);
  if (errors.length > 0) fail(`GET ${path ?? '(undeclared)'} violates netweave's document`, answer, errors);
}

/** Success bodies against the reference operation's schema; problems against the reference ProblemDetails. */
export function assertConformsToReference(path: string | undefined, answer: HttpAnswer): void {
  const contract = referenceContract();
  const mediaType = mediaTypeOf(answer);
  if (mediaType === 'application/problem+json') {
    const errors = contract.errors(
      '/components/schemas/ProblemDetails',
      answer.body,
      REFERENCE_COMMON_DOCUMENT,
    );
    if (existsSync(REFERENCE_CLIENT_ERROR_SCHEMA))
      errors.push(...contract.errors('', answer.body, REFERENCE_CLIENT_ERROR_SCHEMA));
    if (errors.length > 0) fail('problem violates the reference ProblemDetails', answer, errors);
    return;
  }
  if (path === undefined) fail('an undeclared answer must be ProblemDetails', answer, []);
  const pointer = contract.responseSchemaPointer(path, 'get', answer.status, mediaType);
  if (pointer === undefined)
    fail(`the reference declares no ${mediaType} response for GET ${path}`, answer, []);
  const errors = contract.errors(pointer, answer.body);
  if (errors.length > 0) fail(`GET ${path} violates the reference spec`, answer, errors);
}
