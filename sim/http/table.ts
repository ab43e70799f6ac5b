/**
 * `meta.k8s.io/v1` Table responses, which kubectl asks for (`Accept: …;as=Table;…`) so the server decides
 * the columns. Rows carry the object's metadata (or the whole object with `includeObject=Object`).
 */
import type { ResourceType } from '../resources/resource-type.ts';
import type { KubeObject } from '../types.ts';
import { columnsFor } from './table-columns.ts';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  readonly includeObject: IncludeObject;
  /** Omit column definitions (every watch event after the first, as the real server does). */
  readonly noHeaders?: boolean;
}

export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept);
}

export function parseIncludeObject(value: string | null): IncludeObject {
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

function rowObject(object: KubeObject, include: IncludeObject): unknown {
  if (include === 'Object') return object;
  if (include === 'None') return undefined;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

export function toTable(
  type: ResourceType,
  objects: readonly KubeObject[],
  options: TableOptions,
  listMeta: Record<string, unknown>,
  now: number,
): Record<string, unknown> {
  const columns = columnsFor(type);
  const table: Record<string, unknown> = { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: listMeta };
  if (options.noHeaders !== true) {
    table['columnDefinitions'] = columns.map(({ name, type: columnType, format, description, priority }) => ({
      name,
      type: columnType,
      format,
      description,
      priority,
    }));
  }
  table['rows'] = objects.map((object) => {
    const row: Record<string, unknown> = { cells: columns.map((c) => c.cell(object, now)) };
    const included = rowObject(object, options.includeObject);
    if (included !== undefined) row['object'] = included;
    return row;
  });
  return table;
}
