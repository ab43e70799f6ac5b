/**
 * SOL013 attribute-based filtering (ETSI GS NFV-SOL 013 §5.2), in three stages that run in different
 * places:
 *   parseFilter   — REST facade: query text → FilterExpr (syntax only)            filter-syntax.ts
 *   compileFilter — REST facade: FilterExpr + schema → CompiledFilter (plain JSON) filter-compile.ts
 *   matches       — cluster subgraphs: CompiledFilter × cached object → boolean    filter-eval.ts
 */
export {
  FILTER_LIMITS,
  FILTER_OPS,
  parseFilter,
  printFilter,
  type FilterClause,
  type FilterExpr,
  type FilterOp,
} from './filter-syntax.ts';
export {
  asCompiledFilter,
  compileFilter,
  OPS_BY_TYPE,
  type CompiledClause,
  type CompiledFilter,
  type CompiledValue,
  type LeafType,
} from './filter-compile.ts';
export { matches, prepareFilter, PreparedFilter } from './filter-eval.ts';
export type { AttrType, AttributeSchema, ScalarType } from './schema.ts';
export { Sol013Error, type Sol013ErrorCode } from './errors.ts';
