/**
 * Checks that an answer of the facade conforms to netweave's OpenAPI document and to the reference O2 IMS
 * specifications. Throws with every violation listed.
 */
import { existsSync } from 'node:fs';
import type { HttpAnswer } from './facade-harness.ts';
import { resolve } from 'node:path';
import {
  OWN_INVENTORY_DOCUMENT,
  OWN_V1_INVENTORY_DOCUMENT,
  OpenApiContract,
  REFERENCE_CLIENT_ERROR_SCHEMA,
  REFERENCE_COMMON_DOCUMENT,
  REFERENCE_INVENTORY_DOCUMENT,
  REFERENCE_IT_TEST_SCHEMAS,
} from './openapi-contract.ts';

let own: OpenApiContract | undefined;
let ownV1: OpenApiContract | undefined;
let reference: OpenApiContract | undefined;
const itTest = new Map<string, OpenApiContract>();

function ownContract(profile: 'v2' | 'v1' = 'v2'): OpenApiContract {
  if (profile === 'v1') {
    ownV1 ??= new OpenApiContract([OWN_V1_INVENTORY_DOCUMENT]);
    return ownV1;
  }
  own ??= new OpenApiContract([OWN_INVENTORY_DOCUMENT]);
  return own;
}

/**
 * Validates a body against one of the O-RAN SC compliance suite's JSON Schemas (`name` without
 * `_properties.json`, e.g. `resourcePools`, `resourceType_allfields`, `client_errors`).
 */
export function assertConformsToItTestSchema(name: string, answer: HttpAnswer): void {
  const file = resolve(REFERENCE_IT_TEST_SCHEMAS, `${name}_properties.json`);
  let contract = itTest.get(file);
  if (contract === undefined) {
    contract = new OpenApiContract([file]);
    itTest.set(file, contract);
  }
  const errors = contract.errors('', answer.body);
  if (errors.length > 0) fail(`the answer violates the it-test schema ${name}`, answer, errors);
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
export function assertConformsToOwnDocument(
  path: string | undefined,
  answer: HttpAnswer,
  profile: 'v2' | 'v1' = 'v2',
): void {
  const contract = ownContract(profile);
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
