/**
 * The O2 REST facade: O2 IMS routes compiled onto GraphQL operations on the federated graph (docs/architecture.md "The shape", "Data flows"),
 * and the ProblemDetails error model shared with the gateway's other HTTP paths.
 */
export { createRestFacade } from './facade.ts';
export type { InventoryApiSettings, RestFacadeOptions } from './facade.ts';
export { InvalidOperationError } from './operation-cache.ts';
export { PARTIAL_RESULT_HEADER } from './partial-result.ts';
export {
  PROBLEM_CONTENT_TYPE,
  REQUEST_ID_HEADER,
  ProblemError,
  problemErrorHandler,
  problemFromError,
  sendProblem,
} from './problem.ts';
export type { ProblemDetails } from './problem.ts';
export { requestIdOf } from './request-context.ts';
