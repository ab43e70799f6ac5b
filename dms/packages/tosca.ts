/**
 * The small part of TOSCA that on-boarding needs: loading a service template with its imports from the
 * package, type derivation across the loaded files, node templates and policies of a topology.
 *
 * SOL001 VNFDs import the ETSI type files (`etsi_nfv_sol001_common_types.yaml`, `…_vnfd_types.yaml`) by
 * bare name, and many packages leave them out because every orchestrator has them built in: a missing
 * import of an `etsi_nfv_sol001_*` file is tolerated (the normative type names are known here), any
 * other missing import is a refusal. Those files are never read, present or not: the type names netweave
 * needs are the normative ones, known here. Remote imports (URLs) are never fetched.
 */
import { posix } from 'node:path';
import { DmsError } from '../errors.ts';
import { isRecord, parseYaml } from './yaml-doc.ts';

export interface ToscaFile {
  readonly path: string;
  /** The document with YAML core types (numbers, booleans). */
  readonly doc: Record<string, unknown>;
  /** The same document with every scalar as written (identity strings such as `1.0`). */
  readonly text: Record<string, unknown>;
}

export interface NodeTemplate {
  readonly name: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  readonly textProperties: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  readonly raw: Record<string, unknown>;
}

export interface PolicyDefinition {
  readonly name: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  readonly targets: readonly string[];
}

function quoted(path: string): string {
  return JSON.stringify(path.length > 200 ? `${path.slice(0, 200)}…` : path);
}

/** The import targets a definitions document names (TOSCA's short and long forms). */
export function importTargets(doc: Record<string, unknown>): string[] {
  const imports = doc['imports'];
  if (!Array.isArray(imports)) return [];
  const out: string[] = [];
  for (const item of imports) {
    if (typeof item === 'string') out.push(item);
    else if (isRecord(item)) {
      if (typeof item['file'] === 'string') out.push(item['file']);
      else
        for (const value of Object.values(item)) {
          if (typeof value === 'string') out.push(value);
          else if (isRecord(value) && typeof value['file'] === 'string') out.push(value['file']);
        }
    }
  }
  return out;
}

/** A path relative to `fromFile`'s folder, normalised inside the package; undefined when it leaves it. */
export function resolveInPackage(fromFile: string, target: string): string | undefined {
  if (target.startsWith('/') || target.includes('\\')) return undefined;
  const joined = posix.normalize(posix.join(posix.dirname(fromFile), target));
  if (joined.startsWith('../') || joined === '..' || joined.startsWith('/')) return undefined;
  return joined;
}

/** One definitions file, without its imports. */
export function loadDefinitionsFile(files: ReadonlyMap<string, Buffer>, path: string): ToscaFile {
  const content = files.get(path);
  if (content === undefined)
    throw new DmsError('UNPROCESSABLE', `the package has no definitions file ${quoted(path)}`);
  const doc = parseYaml(content, quoted(path));
  const text = parseYaml(content, quoted(path), { strings: true });
  if (!isRecord(doc) || !isRecord(text))
    throw new DmsError('UNPROCESSABLE', `the definitions file ${quoted(path)} is not a YAML mapping`);
  if (doc['tosca_definitions_version'] === undefined)
    throw new DmsError(
      'UNPROCESSABLE',
      `the definitions file ${quoted(path)} has no tosca_definitions_version`,
    );
  return { path, doc, text };
}

/** The entry definitions and everything it imports (depth first, each file once). */
export function loadServiceTemplate(files: ReadonlyMap<string, Buffer>, entryPath: string): ToscaFile[] {
  const loaded = new Map<string, ToscaFile>();
  const visit = (path: string): void => {
    if (loaded.has(path)) return;
    const file = loadDefinitionsFile(files, path);
    loaded.set(path, file);
    for (const target of importTargets(file.doc)) {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) continue;
      const resolved = resolveInPackage(path, target);
      if (resolved === undefined)
        throw new DmsError(
          'UNPROCESSABLE',
          `${quoted(path)} imports ${quoted(target)}, which leaves the package root`,
        );
      // The normative type names are built in; the files are not read even when present (some published
      // copies are YAML that only lenient parsers accept).
      if (posix.basename(resolved).startsWith('etsi_nfv_sol001_')) continue;
      if (!files.has(resolved)) {
        throw new DmsError(
          'UNPROCESSABLE',
          `${quoted(path)} imports ${quoted(target)}, which the package does not contain`,
        );
      }
      visit(resolved);
    }
  };
  visit(entryPath);
  return [...loaded.values()];
}

/** Type name → `derived_from`, over node, policy and artifact types of every loaded file. */
export class TypeHierarchy {
  private readonly parents = new Map<string, string>();

  constructor(files: readonly ToscaFile[]) {
    for (const file of files) {
      for (const section of ['node_types', 'policy_types', 'artifact_types', 'data_types']) {
        const types = file.doc[section];
        if (!isRecord(types)) continue;
        for (const [name, definition] of Object.entries(types)) {
          if (isRecord(definition) && typeof definition['derived_from'] === 'string')
            this.parents.set(name, definition['derived_from']);
        }
      }
    }
  }

  isA(type: string, base: string): boolean {
    let current: string | undefined = type;
    for (let depth = 0; current !== undefined && depth < 32; depth++) {
      if (current === base) return true;
      current = this.parents.get(current);
    }
    return false;
  }

  /** `default` of a property declared by the type or one of its ancestors. */
  propertyDefault(files: readonly ToscaFile[], type: string, property: string): unknown {
    let current: string | undefined = type;
    for (let depth = 0; current !== undefined && depth < 32; depth++) {
      for (const file of files) {
        const types = file.text['node_types'];
        if (!isRecord(types)) continue;
        const definition = types[current];
        if (!isRecord(definition) || !isRecord(definition['properties'])) continue;
        const declared = definition['properties'][property];
        if (isRecord(declared) && declared['default'] !== undefined) return declared['default'];
      }
      current = this.parents.get(current);
    }
    return undefined;
  }
}

export function topologyOf(file: ToscaFile): {
  doc: Record<string, unknown>;
  text: Record<string, unknown>;
} {
  const doc = file.doc['topology_template'];
  const text = file.text['topology_template'];
  return { doc: isRecord(doc) ? doc : {}, text: isRecord(text) ? text : {} };
}

export function nodeTemplates(file: ToscaFile): NodeTemplate[] {
  const { doc, text } = topologyOf(file);
  const templates = doc['node_templates'];
  const textTemplates = isRecord(text['node_templates']) ? text['node_templates'] : {};
  if (!isRecord(templates)) return [];
  const out: NodeTemplate[] = [];
  for (const [name, raw] of Object.entries(templates)) {
    if (!isRecord(raw) || typeof raw['type'] !== 'string') continue;
    const textRaw = textTemplates[name];
    out.push({
      name,
      type: raw['type'],
      properties: isRecord(raw['properties']) ? raw['properties'] : {},
      textProperties: isRecord(textRaw) && isRecord(textRaw['properties']) ? textRaw['properties'] : {},
      metadata: isRecord(raw['metadata']) ? raw['metadata'] : {},
      raw,
    });
  }
  return out;
}

/** Policies in either TOSCA form: a list of single-entry maps (1.2+) or a map. */
export function policies(file: ToscaFile): PolicyDefinition[] {
  const raw = topologyOf(file).doc['policies'];
  const entries: [string, unknown][] = [];
  if (Array.isArray(raw)) {
    for (const item of raw) if (isRecord(item)) entries.push(...Object.entries(item));
  } else if (isRecord(raw)) entries.push(...Object.entries(raw));
  const out: PolicyDefinition[] = [];
  for (const [name, definition] of entries) {
    if (!isRecord(definition) || typeof definition['type'] !== 'string') continue;
    const targets = Array.isArray(definition['targets'])
      ? definition['targets'].filter((target): target is string => typeof target === 'string')
      : [];
    out.push({
      name,
      type: definition['type'],
      properties: isRecord(definition['properties']) ? definition['properties'] : {},
      targets,
    });
  }
  return out;
}
