/**
 * The one JSON scalar of netweave's graphs (schema/cluster.graphql and schema/hub.graphql): O2 `extensions`,
 * `capabilities`, `capacity`, Kubernetes labels and quantities travel as plain JSON values.
 *
 * Values pass through unchanged. Literals in a document are read in full (lists, objects, variables inside
 * them); a literal that names a variable the request did not define is a BAD_USER_INPUT error rather than a
 * silent `undefined` (the hub's former pass-through scalar let that through; this stricter one is kept).
 */
import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { graphError } from './errors.ts';

function literalValue(
  node: ValueNode,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
    case Kind.ENUM:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((value) => literalValue(value, variables));
    case Kind.OBJECT: {
      const object: Record<string, unknown> = {};
      for (const field of node.fields) object[field.name.value] = literalValue(field.value, variables);
      return object;
    }
    case Kind.VARIABLE:
      return variables?.[node.name.value];
  }
}

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node, variables) => {
    const value = literalValue(node, variables);
    if (value === undefined)
      throw graphError('BAD_USER_INPUT', 'JSON literal refers to an undefined variable');
    return value;
  },
});
