/**
 * Response checks of the monitoring API for tests: netweave's own OpenAPI document and, when the reference
 * specifications are present (../shared/specs, or NETWEAVE_REFERENCE_SPECS), the oran-o2ims alarms spec and the
 * O-RAN SC compliance suite's alarm schemas. Each check throws with every violation listed.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpenApiContract, REFERENCE_SPECS_DIR } from './openapi-contract.ts';

export const OWN_MONITORING_DOCUMENT = fileURLToPath(
  new URL('../schema/o2ims-infrastructure-monitoring-v1.openapi.yaml', import.meta.url),
);
export const REFERENCE_ALARMS_DOCUMENT = resolve(
  REFERENCE_SPECS_DIR,
  'oran-o2ims/internal/service/alarms/api/openapi.yaml',
);
const REFERENCE_COMMON = resolve(REFERENCE_SPECS_DIR, 'oran-o2ims/internal/service/common/api/openapi.yaml');
const IT_TEST_SCHEMAS = resolve(REFERENCE_SPECS_DIR, 'o-ran-sc-it-test/schemas');

export const referenceAlarmSpecsAvailable =
  existsSync(REFERENCE_ALARMS_DOCUMENT) && existsSync(REFERENCE_COMMON);
export const REFERENCE_ALARMS_SKIP_NOTE = referenceAlarmSpecsAvailable
  ? ''
  : ` [SKIPPED: reference specs not found at ${REFERENCE_SPECS_DIR}; set NETWEAVE_REFERENCE_SPECS to run]`;

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: unknown;
}

let own: OpenApiContract | undefined;
let reference: OpenApiContract | undefined;
const itTest = new Map<string, OpenApiContract>();

function fail(what: string, answer: Answer, errors: readonly string[]): never {
  throw new Error(
    `${what} (status ${answer.status}):\n  ${errors.join('\n  ')}\nbody: ${JSON.stringify(answer.body).slice(0, 2000)}`,
  );
}

function mediaTypeOf(answer: Answer): string {
  return answer.contentType.split(';')[0]!.trim();
}

function check(contract: OpenApiContract, what: string, path: string, method: string, answer: Answer): void {
  // Bodyless answers (DELETE 200) have no schema to meet.
  if (answer.body === undefined && answer.contentType === '') return;
  const mediaType = mediaTypeOf(answer);
  const pointer = contract.responseSchemaPointer(path, method, answer.status, mediaType);
  if (pointer === undefined)
    fail(
      `${what} declares no ${mediaType} ${answer.status} response for ${method.toUpperCase()} ${path}`,
      answer,
      [],
    );
  const errors = contract.errors(pointer, answer.body);
  if (errors.length > 0) fail(`${method.toUpperCase()} ${path} violates ${what}`, answer, errors);
}

/** `path` is the OpenAPI path template of the operation called. */
export function assertConformsToOwnMonitoringDocument(path: string, method: string, answer: Answer): void {
  own ??= new OpenApiContract([OWN_MONITORING_DOCUMENT]);
  check(own, "netweave's monitoring document", path, method, answer);
}

/** Against the oran-o2ims alarms spec; a no-op when the reference specs are absent. */
export function assertConformsToReferenceAlarms(path: string, method: string, answer: Answer): void {
  if (!referenceAlarmSpecsAvailable) return;
  reference ??= new OpenApiContract([REFERENCE_ALARMS_DOCUMENT, REFERENCE_COMMON]);
  check(reference, 'the oran-o2ims alarms spec', path, method, answer);
}

/** Against one of the O-RAN SC compliance schemas (`alarms`, `alarm`, `alarm_subscriptions`, …); no-op when absent. */
export function assertConformsToItTestSchema(name: string, answer: Answer): void {
  const file = resolve(IT_TEST_SCHEMAS, `${name}_properties.json`);
  if (!existsSync(file)) return;
  let contract = itTest.get(file);
  if (contract === undefined) {
    contract = new OpenApiContract([file]);
    itTest.set(file, contract);
  }
  const errors = contract.errors('', answer.body);
  if (errors.length > 0) fail(`the answer violates the it-test schema ${name}`, answer, errors);
}

/** A schema of the own document by component name (notification bodies). */
export function ownSchemaErrors(component: string, body: unknown): string[] {
  own ??= new OpenApiContract([OWN_MONITORING_DOCUMENT]);
  return own.errors(`/components/schemas/${component}`, body);
}

/** A schema of the reference alarms spec by component name; empty when the reference specs are absent. */
export function referenceSchemaErrors(component: string, body: unknown): string[] {
  if (!referenceAlarmSpecsAvailable) return [];
  reference ??= new OpenApiContract([REFERENCE_ALARMS_DOCUMENT, REFERENCE_COMMON]);
  return reference.errors(`/components/schemas/${component}`, body);
}
