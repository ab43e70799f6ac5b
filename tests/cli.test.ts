/**
 * The `netweave` command loads under plain Node (through bin/netweave.js and tsx), not only under vitest:
 * Node's ESM loader is stricter about named imports from CommonJS packages than vitest's interop.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('netweave command', () => {
  it('prints its usage with every subcommand', async () => {
    const { stdout } = await run(process.execPath, ['bin/netweave.js', '--help'], { timeout: 60_000 });
    for (const command of ['demo', 'serve', 'subgraph', 'sim'])
      expect(stdout).toContain(`netweave ${command}`);
  }, 90_000);

  it('refuses an unknown subcommand with exit code 2', async () => {
    await expect(
      run(process.execPath, ['bin/netweave.js', 'frobnicate'], { timeout: 60_000 }),
    ).rejects.toMatchObject({ code: 2 });
  }, 90_000);
});
