/**
 * The graph is documented for its users (docs/graphql.md): every type, field, enum value and input field of both
 * subgraph SDLs has a description, so GraphiQL's documentation explorer never shows a bare name. Arguments are
 * described in their field's description (one paragraph a reader sees together).
 */
import { readFileSync } from 'node:fs';
import { Kind, parse, visit, type ASTNode } from 'graphql';
import { describe, expect, it } from 'vitest';

const SDL_FILES = ['schema/cluster.graphql', 'schema/hub.graphql'] as const;

/** Federation's own shapes and the scalar the subgraphs share need no words of ours. */
function undocumented(file: string): string[] {
  const missing: string[] = [];
  const described = (node: ASTNode & { description?: { value: string } | undefined }): boolean =>
    (node.description?.value.trim() ?? '') !== '';
  const typeKinds = new Set<string>([
    Kind.OBJECT_TYPE_DEFINITION,
    Kind.OBJECT_TYPE_EXTENSION,
    Kind.ENUM_TYPE_DEFINITION,
    Kind.INPUT_OBJECT_TYPE_DEFINITION,
    Kind.SCALAR_TYPE_DEFINITION,
  ]);
  const rootTypes = new Set(['Query', 'Mutation', 'Subscription']);
  let typeName = '';
  let inField = false;
  visit(parse(readFileSync(file, 'utf8')), {
    enter(node) {
      if (typeKinds.has(node.kind)) {
        const type = node as ASTNode & { name: { value: string }; description?: { value: string } };
        typeName = type.name.value;
        // Extensions (extend type …) and root types document their fields, not themselves.
        if (node.kind !== Kind.OBJECT_TYPE_EXTENSION && !rootTypes.has(typeName) && !described(type))
          missing.push(typeName);
        return;
      }
      if (node.kind === Kind.INPUT_VALUE_DEFINITION && inField) return;
      if (
        node.kind === Kind.FIELD_DEFINITION ||
        node.kind === Kind.ENUM_VALUE_DEFINITION ||
        node.kind === Kind.INPUT_VALUE_DEFINITION
      ) {
        const name = (node as { name: { value: string } }).name.value;
        if (!described(node as never)) missing.push(`${typeName}.${name}`);
        if (node.kind === Kind.FIELD_DEFINITION) inField = true;
      }
    },
    leave(node) {
      if (node.kind === Kind.FIELD_DEFINITION) inField = false;
    },
  });
  return missing;
}

describe('schema descriptions', () => {
  it.each(SDL_FILES)('%s describes every type, field, enum value and input field', (file) => {
    expect(undocumented(file)).toEqual([]);
  });
});
