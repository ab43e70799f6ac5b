/**
 * Query parameters that this version of the facade recognises but does not implement yet.
 *
 * `filter` narrows a list; answering it with the unfiltered list would hand an SMO objects it explicitly
 * excluded, so it is refused with 400 until the SOL013 filter compiler lands. The attribute selectors
 * (`fields`, `exclude_fields`, `all_fields`) only trim an answer: ignoring them returns a superset of what was
 * asked, which clients must tolerate anyway, so they pass. Unknown parameters are ignored, as O2 clients add
 * their own (cache busters, tracing).
 */
import type { Request } from 'express';
import { ProblemError } from './problem.ts';

const NOT_YET_SUPPORTED = ['filter'] as const;

export function rejectUnsupportedQuery(req: Request): void {
  const query: object = req.query;
  for (const name of NOT_YET_SUPPORTED) {
    if (Object.hasOwn(query, name))
      throw new ProblemError(400, `The ${name} query parameter is not supported yet.`);
  }
}
