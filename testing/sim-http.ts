/** Raw HTTP helpers for simulator protocol tests (watch streams read line by line, bounded in time). */

export interface WatchEvent {
  type: string;
  object: {
    kind?: string;
    metadata?: { name?: string; resourceVersion?: string; annotations?: Record<string, string> };
    code?: number;
    reason?: string;
    [key: string]: unknown;
  };
}

/**
 * Reads watch events from `url` until `until(events)` holds, the server ends the stream, or `timeoutMs`
 * passes (then it throws). `onOpen` runs once the response headers arrived, to make changes to observe.
 */
export async function readWatch(
  url: string,
  options: {
    until?: (events: WatchEvent[]) => boolean;
    onOpen?: () => void | Promise<void>;
    timeoutMs?: number;
    headers?: Record<string, string>;
  } = {},
): Promise<{ events: WatchEvent[]; ended: boolean }> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error(`watch ${url} did not finish in time`)),
    options.timeoutMs ?? 10_000,
  );
  const events: WatchEvent[] = [];
  try {
    const response = await fetch(url, {
      signal: controller.signal,
      ...(options.headers === undefined ? {} : { headers: options.headers }),
    });
    if (response.status !== 200 || response.body === null)
      throw new Error(`watch ${url} answered ${response.status}`);
    await options.onOpen?.();
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    while (!(options.until?.(events) ?? false)) {
      const { value, done } = await reader.read();
      if (done) return { events, ended: true };
      buffer += decoder.decode(value, { stream: true });
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        events.push(JSON.parse(buffer.slice(0, newline)) as WatchEvent);
        buffer = buffer.slice(newline + 1);
      }
    }
    return { events, ended: false };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

export async function requestJson(
  url: string,
  init: { method?: string; body?: unknown; contentType?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown>; contentType: string | null }> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['Content-Type'] = init.contentType ?? 'application/json';
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined
      ? {}
      : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
    contentType: response.headers.get('content-type'),
  };
}
