/**
 * Compile-time checks that a subgraph's model types (the mappers of codegen.yml) agree with the GraphQL types
 * generated from its SDL. Types only: nothing here runs.
 */

/** The model has the schema's fields (computed ones may be absent), none more, each of an assignable type. */
export /** The model has the schema's fields (computed ones may be absent), none more, each of an assignable type. */
type Conforms<M, S, Computed extends keyof S = never> = [Exclude<keyof M, symbol>] extends [
  Exclude<keyof S, '__typename'>,
]
  ? [Exclude<keyof S, '__typename' | Computed>] extends [keyof M]
    ? [M] extends [Omit<S, '__typename' | Computed>]
      ? true
      : { mismatchedTypes: Omit<S, '__typename' | Computed> }
    : { missingFields: Exclude<keyof S, '__typename' | Computed | keyof M> }
  : { fieldsTheSchemaLacks: Exclude<keyof M, keyof S | symbol> };

export type Assert<T extends true> = T;

/** Looser: the model may carry internal fields the schema does not expose (stored records). */
export type Covers<M, S, Computed extends keyof S = never> = [
  Exclude<keyof S, '__typename' | Computed>,
] extends [keyof M]
  ? [M] extends [Omit<S, '__typename' | Computed>]
    ? true
    : { mismatchedTypes: Omit<S, '__typename' | Computed> }
  : { missingFields: Exclude<keyof S, '__typename' | Computed | keyof M> };
