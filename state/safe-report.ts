import type { BackgroundErrorHandler } from './store.ts';

/**
 * Wraps the caller's error hook so that a throwing hook cannot break a tail loop or a pub/sub
 * dispatch (there is nobody left to report that failure to).
 */
export function safeReport(onError: BackgroundErrorHandler | undefined): BackgroundErrorHandler {
  if (!onError) return () => undefined;
  return (error, where) => {
    try {
      onError(error, where);
    } catch {
      // deliberately ignored, see above
    }
  };
}
