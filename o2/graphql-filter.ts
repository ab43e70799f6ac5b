/**
 * SOL013 filters over GraphQL types (docs/graphql.md "Lists"): the attribute schema of an object type derived from
 * its fields, and a filter string compiled against it with the same library (o2/sol013) as REST's `filter`
 * parameter, so a GraphQL client gets REST's grammar and error details. Used by the cluster subgraph's lists and
 * connections and by the hub's alarm lists.
 */
import {
  GraphQLObjectType,
  getNullableType,
  isEnumType,
  isListType,
  isScalarType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { graphError } from '../common/errors.ts';
import {
  Sol013Error,
  compileFilter,
  parseFilter,
  type AttrType,
  type AttributeSchema,
  type CompiledFilter,
} from './sol013/index.ts';

function badInput(message: string): never {
  throw graphError('BAD_USER_INPUT', message);
}

function attrTypeOf(type: GraphQLOutputType): AttrType | undefined {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const inner = attrTypeOf(nullable.ofType);
    return inner === undefined ? undefined : { array: inner };
  }
  if (isEnumType(nullable)) return 'string';
  if (!isScalarType(nullable)) return undefined;
  switch (nullable.name) {
    case 'Int':
      return 'integer';
    case 'Float':
      return 'number';
    case 'Boolean':
      return 'boolean';
    case 'JSON':
      return 'object';
    default:
      return 'string';
  }
}

const schemas = new WeakMap<GraphQLObjectType, AttributeSchema>();

/**
 * The filterable attributes of a GraphQL object type: its fields without arguments whose values are scalars,
 * enums or JSON (and lists of them). Nested objects are resolved separately and are not part of the object
 * the filter sees.
 */
export function attributeSchemaOf(type: GraphQLObjectType): AttributeSchema {
  let schema = schemas.get(type);
  if (schema === undefined) {
    const attributes: Record<string, AttrType> = {};
    for (const field of Object.values(type.getFields())) {
      if (field.args.length > 0 || field.name.startsWith('_')) continue;
      const attrType = attrTypeOf(field.type);
      if (attrType !== undefined) attributes[field.name] = attrType;
    }
    schemas.set(type, (schema = attributes));
  }
  return schema;
}

export function objectType(schema: GraphQLSchema, typeName: string): GraphQLObjectType {
  const type = schema.getType(typeName);
  if (!(type instanceof GraphQLObjectType)) throw new Error(`${typeName} is not an object type`);
  return type;
}

/** The SOL013 filter string compiled for `typeName`; undefined without one. BAD_USER_INPUT when malformed. */
export function compileFilterArgument(
  text: string | null | undefined,
  typeName: string,
  info: Pick<GraphQLResolveInfo, 'schema'>,
): CompiledFilter | undefined {
  if (text === null || text === undefined) return undefined;
  try {
    return compileFilter(parseFilter(text), attributeSchemaOf(objectType(info.schema, typeName)));
  } catch (error) {
    if (error instanceof Sol013Error) badInput(error.message);
    throw error;
  }
}
