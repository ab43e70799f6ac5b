/**
 * Response validation against OpenAPI 3.0 documents, for tests: netweave's own document and, when present,
 * the reference specifications in ../shared/specs.
 *
 * Each YAML document is registered with Ajv as one schema resource under its file URL, so `$ref`s inside it
 * (local or to a sibling file, as the reference spec uses) resolve without a bundling step, and recursive
 * schemas (a Resource's elements) stay references instead of being expanded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));

export const OWN_INVENTORY_DOCUMENT = resolve(REPO_ROOT, 'schema/o2ims-inventory-v2.openapi.yaml');
export const OWN_V1_INVENTORY_DOCUMENT = resolve(REPO_ROOT, 'schema/o2ims-inventory-v1.openapi.yaml');

/** The read-only reference specs that sit next to the working tree on the project's machines, not in a clone. */
export const REFERENCE_SPECS_DIR =
  process.env['NETWEAVE_REFERENCE_SPECS'] ?? resolve(REPO_ROOT, '../shared/specs');
export const REFERENCE_INVENTORY_DOCUMENT = resolve(
  REFERENCE_SPECS_DIR,
  'oran-o2ims/internal/service/resources/api/openapi.yaml',
);
export const REFERENCE_COMMON_DOCUMENT = resolve(
  REFERENCE_SPECS_DIR,
  'oran-o2ims/internal/service/common/api/openapi.yaml',
);
/** The last oran-o2ims inventory API before the v11 model (v4 shapes on /v1). */
export const REFERENCE_V1_INVENTORY_DOCUMENT = resolve(
  REFERENCE_SPECS_DIR,
  'oran-o2ims@81ae09d/internal/service/resources/api/openapi.yaml',
);
export const REFERENCE_V1_COMMON_DOCUMENT = resolve(
  REFERENCE_SPECS_DIR,
  'oran-o2ims@81ae09d/internal/service/common/api/openapi.yaml',
);
/** The JSON Schemas of the O-RAN SC O2IMS compliance suite. */
export const REFERENCE_IT_TEST_SCHEMAS = resolve(REFERENCE_SPECS_DIR, 'o-ran-sc-it-test/schemas');
export const REFERENCE_CLIENT_ERROR_SCHEMA = resolve(
  REFERENCE_SPECS_DIR,
  'o-ran-sc-it-test/schemas/client_errors_properties.json',
);
export const referenceSpecsAvailable =
  existsSync(REFERENCE_INVENTORY_DOCUMENT) && existsSync(REFERENCE_COMMON_DOCUMENT);
export const REFERENCE_SKIP_NOTE = referenceSpecsAvailable
  ? ''
  : ` [SKIPPED: reference specs not found at ${REFERENCE_SPECS_DIR}; set NETWEAVE_REFERENCE_SPECS to run]`;

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function child(node: unknown, key: string): unknown {
  return typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
}

function nodeAt(root: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(child, root);
}

export class OpenApiContract {
  readonly #ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  readonly #documents = new Map<string, unknown>();
  readonly #validators = new Map<string, ValidateFunction>();

  /** `files[0]` is the document that responses are looked up in; the others only resolve its references. */
  constructor(private readonly files: readonly string[]) {
    ajvFormats.default(this.#ajv);
    // OpenAPI's numeric formats say nothing JSON Schema can check beyond `type`.
    for (const format of ['int32', 'int64', 'float', 'double']) this.#ajv.addFormat(format, true);
    for (const file of files) {
      const document: unknown = file.endsWith('.json')
        ? JSON.parse(readFileSync(file, 'utf8'))
        : parseYaml(readFileSync(file, 'utf8'));
      const uri = pathToFileURL(file).href;
      this.#documents.set(uri, document);
      this.#ajv.addSchema(document as object, uri);
    }
  }

  get #mainUri(): string {
    return pathToFileURL(this.files[0]!).href;
  }

  /** A validator for the schema at `pointer` (JSON pointer) of a loaded file; the main file by default. */
  schema(pointer: string, file: string = this.files[0]!): ValidateFunction {
    const ref = `${pathToFileURL(file).href}#${pointer}`;
    let validator = this.#validators.get(ref);
    if (validator === undefined) {
      if (nodeAt(this.#documents.get(pathToFileURL(file).href), pointer) === undefined) {
        throw new Error(`${file} has nothing at ${pointer}`);
      }
      validator = this.#ajv.compile({ $ref: ref });
      this.#validators.set(ref, validator);
    }
    return validator;
  }

  /**
   * The pointer to the schema the main document declares for a response, following a `$ref` to a shared
   * response component; undefined when that response or media type is not declared.
   */
  responseSchemaPointer(path: string, method: string, status: number, mediaType: string): string | undefined {
    const document = this.#documents.get(this.#mainUri);
    let pointer = `/paths/${escapePointer(path)}/${method.toLowerCase()}/responses/${status}`;
    const response = nodeAt(document, pointer);
    const ref = child(response, '$ref');
    if (typeof ref === 'string' && ref.startsWith('#/')) pointer = ref.slice(1);
    pointer += `/content/${escapePointer(mediaType)}/schema`;
    return nodeAt(document, pointer) === undefined ? undefined : pointer;
  }

  /** Readable validation errors of `body` against the schema at `pointer`, empty when it conforms. */
  errors(pointer: string, body: unknown, file?: string): string[] {
    const validate = this.schema(pointer, file);
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (error) => `${error.instancePath || '(root)'} ${error.message ?? error.keyword}`,
    );
  }
}
