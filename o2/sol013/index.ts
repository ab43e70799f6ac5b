/** ETSI GS NFV-SOL 013 query handling: attribute-based filtering, attribute selectors, paging markers. */
export * from './filter.ts';
export {
  applySelection,
  parseSelectors,
  selectedTopLevel,
  SELECTOR_LIMITS,
  type Selection,
  type SelectorQuery,
  type SelectorSpec,
} from './selectors.ts';
export {
  createMarkerCodec,
  MAX_MARKER_LENGTH,
  queryHash,
  type MarkerCodec,
  type MarkerCodecOptions,
  type PagingState,
} from './paging.ts';
