/**
 * The folder table (eslint/folder-imports.js) as `npm run lint` applies it: imports that point up or across the
 * table fail with a message naming the rule and both folders; allowed ones and test code pass.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function folderProblems(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'netweave/folder-imports')
    .map((message) => message.message);
}

describe('folder import rules', () => {
  it('refuses an import from subgraphs/ into rest-facade/, naming the rule and the folders', async () => {
    const problems = await folderProblems(
      'rest-facade/example.ts',
      "import type { Resource } from '../subgraphs/cluster/model.ts';\nexport type R = Resource;\n",
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('netweave/folder-imports');
    expect(problems[0]).toContain('"rest-facade/"');
    expect(problems[0]).toContain('subgraphs/cluster/model.ts');
  });

  it('keeps common/ a leaf and the simulator and test code out of production', async () => {
    expect(
      await folderProblems('common/example.ts', "export { x } from '../state/store.ts';\n"),
    ).toHaveLength(1);
    expect(await folderProblems('router/example.ts', "import '../sim/index.ts';\n")).toEqual([
      expect.stringContaining('only cli/ and tests import the simulator'),
    ]);
    expect(await folderProblems('notifier/example.ts', "import '../testing/redis.ts';\n")).toEqual([
      expect.stringContaining('production code never imports test code'),
    ]);
    expect(await folderProblems('o2/example.ts', "import '../alarms/alarm-record.ts';\n")).toHaveLength(1);
  });

  it('lets each folder import what its row names, and test code import anything', async () => {
    expect(await folderProblems('rest-facade/example.ts', "import '../router/executor.ts';\n")).toEqual([]);
    expect(await folderProblems('rest-facade/example.ts', "import '../router/gateway.ts';\n")).toHaveLength(
      1,
    );
    expect(await folderProblems('router/example.ts', "import '../subgraphs/hub/index.ts';\n")).toEqual([]);
    expect(await folderProblems('dms/example.ts', "import '../alarms/alarm-ledger.ts';\n")).toEqual([]);
    expect(await folderProblems('cli/example.ts', "import '../sim/index.ts';\n")).toEqual([]);
    expect(
      await folderProblems('rest-facade/example.test.ts', "import '../subgraphs/cluster/model.ts';\n"),
    ).toEqual([]);
  });
});
