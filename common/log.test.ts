import { describe, expect, it } from 'vitest';
import { capturedLogger as capture, topLevelKeys } from '../testing/json-lines.ts';
import { repeatLimited } from './log.ts';

describe('createLogger', () => {
  it('writes a key a child logger binds once, and keeps a differing value apart', async () => {
    const { lines, logger } = capture();
    const child = logger.child({ clusterId: 'edge-1' });
    child.info({ clusterId: 'edge-1', nodes: 3 }, 'listed');
    child.warn({ clusterId: 'edge-2' }, 'odd');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      const keys = topLevelKeys(line);
      expect(new Set(keys).size, line).toBe(keys.length);
    }
    expect(JSON.parse(lines[0]!)).toMatchObject({ clusterId: 'edge-1', nodes: 3, msg: 'listed' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ clusterId: 'edge-1', conflicts: { clusterId: 'edge-2' } });
  });
});

describe('repeatLimited', () => {
  it('logs a repeating warning once per interval, then with the count of the silent repeats', async () => {
    const { lines, logger } = capture();
    let now = 0;
    const log = repeatLimited(logger, { intervalMs: 60_000, now: () => now });
    for (let i = 0; i < 5; i++) log.warn('down:edge-2', { clusterId: 'edge-2' }, 'shard unavailable');
    log.warn('down:edge-3', { clusterId: 'edge-3' }, 'shard unavailable');
    now = 60_000;
    log.warn('down:edge-2', { clusterId: 'edge-2' }, 'shard unavailable');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ clusterId: 'edge-2', level: 40 }),
      expect.objectContaining({ clusterId: 'edge-3' }),
      expect.objectContaining({ clusterId: 'edge-2', repeats: 4 }),
    ]);
    expect(repeatLimited(logger)).toBe(log);
  });
});
