/**
 * Test stand-in for the router's API schema as in-process callers see it (router/gateway.ts internalSdl: the
 * `@inaccessible` arguments of the REST facade kept): the hub and cluster subgraph SDLs merged the way
 * federation presents them to clients (federation directives and `@link` dropped, types that both subgraphs
 * define merged field by field, no `_entities`/`_service`).
 *
 * It lets the facade's tests run real GraphQL validation and execution before the router exists. It is not a
 * composition: it does not check what composition would reject.
 */
import { readFileSync } from 'node:fs';
import { Kind, buildASTSchema, parse, visit } from 'graphql';
import type {
  DefinitionNode,
  DocumentNode,
  FieldDefinitionNode,
  GraphQLSchema,
  TypeDefinitionNode,
} from 'graphql';

const SUBGRAPH_SDL_FILES = ['../schema/hub.graphql', '../schema/cluster.graphql'] as const;

function isTypeDefinition(definition: DefinitionNode): definition is TypeDefinitionNode {
  return (
    definition.kind === Kind.OBJECT_TYPE_DEFINITION ||
    definition.kind === Kind.SCALAR_TYPE_DEFINITION ||
    definition.kind === Kind.ENUM_TYPE_DEFINITION ||
    definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION ||
    definition.kind === Kind.INTERFACE_TYPE_DEFINITION ||
    definition.kind === Kind.UNION_TYPE_DEFINITION
  );
}

/** The subgraph's type definitions without federation directives (`@key`, ...) and without `extend schema @link`. */
function typeDefinitionsOf(sdl: string): TypeDefinitionNode[] {
  const withoutDirectives: DocumentNode = visit(parse(sdl), { Directive: () => null });
  return withoutDirectives.definitions.filter(isTypeDefinition);
}

function mergeObjectFields(
  first: readonly FieldDefinitionNode[] = [],
  second: readonly FieldDefinitionNode[] = [],
): FieldDefinitionNode[] {
  const names = new Set(first.map((field) => field.name.value));
  return [...first, ...second.filter((field) => !names.has(field.name.value))];
}

export function mergeSubgraphSdl(sdls: readonly string[]): DocumentNode {
  const merged = new Map<string, TypeDefinitionNode>();
  for (const definition of sdls.flatMap(typeDefinitionsOf)) {
    const name = definition.name.value;
    const existing = merged.get(name);
    if (existing === undefined) {
      merged.set(name, definition);
    } else if (
      existing.kind === Kind.OBJECT_TYPE_DEFINITION &&
      definition.kind === Kind.OBJECT_TYPE_DEFINITION
    ) {
      merged.set(name, { ...existing, fields: mergeObjectFields(existing.fields, definition.fields) });
    } else if (existing.kind !== definition.kind) {
      throw new Error(`type ${name} is defined as two different kinds`);
    }
    // Same-kind scalars and enums (JSON, shared enums) are identical in every subgraph: the first one stays.
  }
  return { kind: Kind.DOCUMENT, definitions: [...merged.values()] };
}

export function buildSupergraphApiSchema(): GraphQLSchema {
  const sdls = SUBGRAPH_SDL_FILES.map((file) => readFileSync(new URL(file, import.meta.url), 'utf8'));
  return buildASTSchema(mergeSubgraphSdl(sdls));
}
