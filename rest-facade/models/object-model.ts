/**
 * How the facade knows an O2 object of one API profile: its attributes in O2 order, each with its SOL013
 * type (for filters and selectors), the GraphQL selection that fetches it, how its O2 value is read from the
 * graph object, and where a filter on it is evaluated.
 *
 * One declaration drives everything a route does with the object: the attribute schema the filter and the
 * selectors are validated against, the selection set compiled from the selectors (what is not asked for is
 * not fetched), the shaping of graph objects into O2 JSON and the split of a filter into the part pushed
 * down to the cluster subgraphs and the part the gateway evaluates.
 */
import type { AttrType, AttributeSchema, Selection, SelectorSpec } from '../../o2/sol013/index.ts';

/** A graph object as the executor returns it: the fields the document selected. */
export type GraphObject = Readonly<Record<string, unknown>>;

/** Per-request values that are not fields of the object (joins, the O-Cloud, profile settings). */
export interface ShapeContext {
  readonly oCloudId?: string | undefined;
  /** Resource pool ids by O-Cloud site id (OCloudSiteInfo.resourcePools). */
  readonly poolsBySite?: ReadonlyMap<string, readonly string[]>;
  /** O-Cloud site ids by globalLocationId (LocationInfo.oCloudSiteIds). */
  readonly sitesByLocation?: ReadonlyMap<string, readonly string[]>;
  /** Location names by globalLocationId (the v4 pool's `location`). */
  readonly locationNames?: ReadonlyMap<string, string>;
}

export const NO_CONTEXT: ShapeContext = {};

export interface AttributeModel {
  readonly type: AttrType;
  /**
   * The GraphQL selection that fetches the attribute, given the selection made inside it (for nested
   * objects); undefined when the gateway computes the value (constants, joins).
   */
  readonly graph: ((inner: Selection) => string) | undefined;
  /** The O2 value; undefined leaves the attribute out (not selected, or absent by the profile's rules). */
  readonly read: (item: GraphObject, context: ShapeContext) => unknown;
  /**
   * Filters on it run in the cluster subgraphs ('subgraph', the value is a field of the cached object under
   * the same name and meaning) or at the gateway on the shaped O2 object ('gateway').
   */
  readonly filterAt: 'subgraph' | 'gateway';
}

export interface ObjectModel {
  /** The O2 name of the object, for messages: 'resource pool'. */
  readonly title: string;
  /** The attribute that identifies the object: the sort key of pages. */
  readonly idAttribute: string;
  readonly attributes: Readonly<Record<string, AttributeModel>>;
  readonly selectors: SelectorSpec;
}

/** An attribute that is a graph field of the same name, read as is. */
export function field(type: AttrType, name: string): AttributeModel {
  return {
    type,
    graph: () => name,
    read: (item) => item[name],
    filterAt: 'subgraph',
  };
}

/** A graph field whose value the profile transforms (kept out when the field was not fetched). */
export function mappedField(
  type: AttrType,
  name: string,
  map: (value: unknown, item: GraphObject) => unknown,
  graph: (inner: Selection) => string = () => name,
): AttributeModel {
  return {
    type,
    graph,
    read: (item) => (item[name] === undefined ? undefined : map(item[name], item)),
    filterAt: 'subgraph',
  };
}

/** An attribute the gateway computes from the request context; `needs` are the graph fields it reads. */
export function computed(
  type: AttrType,
  read: (item: GraphObject, context: ShapeContext) => unknown,
  needs: readonly string[] = [],
): AttributeModel {
  return {
    type,
    graph: needs.length === 0 ? undefined : () => needs.join(' '),
    read,
    filterAt: 'gateway',
  };
}

export function schemaOf(attributes: Readonly<Record<string, AttributeModel>>): AttributeSchema {
  const schema: Record<string, AttrType> = {};
  for (const [name, attribute] of Object.entries(attributes)) schema[name] = attribute.type;
  return schema;
}

export function objectModel(spec: {
  readonly title: string;
  readonly idAttribute: string;
  readonly attributes: Readonly<Record<string, AttributeModel>>;
  readonly defaultExcluded?: readonly (readonly string[])[];
  readonly mandatory: readonly string[];
  readonly fieldsMode: 'only' | 'sol013';
}): ObjectModel {
  if (spec.attributes[spec.idAttribute] === undefined) throw new Error(`${spec.title}: no id attribute`);
  return {
    title: spec.title,
    idAttribute: spec.idAttribute,
    attributes: spec.attributes,
    selectors: {
      schema: schemaOf(spec.attributes),
      defaultExcluded: spec.defaultExcluded ?? [],
      mandatory: spec.mandatory,
      fieldsMode: spec.fieldsMode,
    },
  };
}
