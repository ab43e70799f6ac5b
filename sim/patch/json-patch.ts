/**
 * RFC 6902 JSON patch (add, remove, replace, move, copy, test) over RFC 6901 pointers. Works on a private
 * deep copy so a failing operation leaves the stored object untouched.
 */
import { SimApiError, badRequest } from '../errors.ts';
import { deepEqual } from '../json.ts';
import { isPlainObject } from '../types.ts';

type Container = Record<string, unknown> | unknown[];

function invalidPatch(message: string): SimApiError {
  return new SimApiError(
    422,
    'Invalid',
    `the server rejected our request due to an error in our request: ${message}`,
  );
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(array: unknown[], token: string, forInsert: boolean): number {
  if (forInsert && token === '-') return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw invalidPatch(`invalid array index "${token}"`);
  const index = Number(token);
  const max = forInsert ? array.length : array.length - 1;
  if (index > max) throw invalidPatch(`array index ${index} out of bounds`);
  return index;
}

/** The container holding the last token of `path`, and that token. */
function locate(doc: unknown, path: readonly string[], pointer: string): { parent: Container; key: string } {
  let current: unknown = doc;
  for (const token of path.slice(0, -1)) {
    if (Array.isArray(current)) current = current[arrayIndex(current, token, false)];
    else if (isPlainObject(current) && Object.hasOwn(current, token)) current = current[token];
    else throw invalidPatch(`path "${pointer}" does not exist`);
  }
  if (!Array.isArray(current) && !isPlainObject(current))
    throw invalidPatch(`path "${pointer}" does not exist`);
  return { parent: current, key: path[path.length - 1]! };
}

function read(doc: unknown, pointer: string): unknown {
  let current: unknown = doc;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(current)) current = current[arrayIndex(current, token, false)];
    else if (isPlainObject(current) && Object.hasOwn(current, token)) current = current[token];
    else throw invalidPatch(`path "${pointer}" does not exist`);
  }
  return current;
}

function add(doc: unknown, pointer: string, value: unknown): unknown {
  const path = parsePointer(pointer);
  if (path.length === 0) return value;
  const { parent, key } = locate(doc, path, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, value);
  else parent[key] = value;
  return doc;
}

function remove(doc: unknown, pointer: string): { doc: unknown; removed: unknown } {
  const path = parsePointer(pointer);
  if (path.length === 0) throw invalidPatch('cannot remove the whole document');
  const { parent, key } = locate(doc, path, pointer);
  if (Array.isArray(parent)) {
    const [removed] = parent.splice(arrayIndex(parent, key, false), 1);
    return { doc, removed };
  }
  if (!Object.hasOwn(parent, key)) throw invalidPatch(`path "${pointer}" does not exist`);
  const removed = parent[key];
  Reflect.deleteProperty(parent, key);
  return { doc, removed };
}

function stringField(op: Record<string, unknown>, name: string): string {
  const value = op[name];
  if (typeof value !== 'string') throw badRequest(`JSON patch operation is missing "${name}"`);
  return value;
}

export function applyJsonPatch(target: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest('a JSON patch must be an array of operations');
  let doc: unknown = structuredClone(target);
  for (const raw of patch) {
    if (!isPlainObject(raw)) throw badRequest('a JSON patch operation must be an object');
    const path = stringField(raw, 'path');
    switch (raw['op']) {
      case 'add':
        doc = add(doc, path, structuredClone(raw['value']));
        break;
      case 'remove':
        doc = remove(doc, path).doc;
        break;
      case 'replace': {
        const value = structuredClone(raw['value']);
        const tokens = parsePointer(path);
        if (tokens.length === 0) {
          doc = value;
          break;
        }
        const { parent, key } = locate(doc, tokens, path);
        if (Array.isArray(parent)) parent[arrayIndex(parent, key, false)] = value;
        else if (Object.hasOwn(parent, key)) parent[key] = value;
        else throw invalidPatch(`path "${path}" does not exist`);
        break;
      }
      case 'move': {
        const from = stringField(raw, 'from');
        const moved = remove(doc, from);
        doc = add(moved.doc, path, moved.removed);
        break;
      }
      case 'copy':
        doc = add(doc, path, structuredClone(read(doc, stringField(raw, 'from'))));
        break;
      case 'test':
        if (!deepEqual(read(doc, path), raw['value'])) throw invalidPatch(`test failed at "${path}"`);
        break;
      default:
        throw badRequest(`unknown JSON patch operation ${JSON.stringify(raw['op'])}`);
    }
  }
  return doc;
}
