// @ts-check
/**
 * The folder import rules of docs/architecture.md ("Folders"), enforced by `npm run lint`.
 *
 * Each top-level folder has one role and imports only the folders its row names. A relative import is
 * resolved against the importing file and checked against this table; bare package imports are not ours.
 * Test code (`*.test.ts`, `*.bench.ts`, and everything under `tests/`, `testing/`, `bench/`) may import
 * anything; production code never imports `testing/`, `tests/`, a test file or `sim/` (only `cli/` runs
 * the simulator).
 */
import path from 'node:path';

/**
 * folder → what its production code may import (folders, or single files such as `router/executor.ts`).
 * `'*'` is everything. A folder may always import itself. Write it once, here.
 */
export const MAY_IMPORT = {
  cli: '*',
  'rest-facade': ['router/executor.ts', 'o2', 'alarms', 'notifier', 'dms', 'provisioning', 'common', 'state'],
  router: ['subgraphs/hub', 'o2', 'common', 'state'],
  'subgraphs/cluster': ['o2', 'alarms', 'dms', 'common', 'state'],
  'subgraphs/hub': ['o2', 'alarms', 'dms', 'provisioning', 'notifier', 'common', 'state'],
  o2: ['common'],
  alarms: ['o2', 'common', 'state'],
  // The notifier delivers alarm and LCM notifications too: its alarm and LCM channels read those domains'
  // events and filters.
  notifier: ['o2', 'alarms', 'dms', 'common', 'state'],
  dms: ['o2', 'alarms', 'common', 'state'],
  provisioning: ['o2', 'alarms', 'common', 'state'],
  state: [],
  common: [],
  sim: ['common', 'o2'],
  web: [],
  // Build and small operator tools (the LCM notification receiver): Node only.
  scripts: [],
  // Test code: tests that span folders, shared harnesses and fixtures, benchmarks.
  tests: '*',
  testing: '*',
  bench: '*',
};

/** Folders that are test code: production code never imports them. */
const TEST_FOLDERS = ['testing', 'tests', 'bench'];
const TEST_FILE = /\.(test|bench)\.ts$/;

/** The table row a repository-relative path belongs to (`subgraphs/x` rows are two levels deep). */
export function folderOf(relativePath) {
  const parts = relativePath.split('/');
  if (parts.length < 2) return undefined;
  if (parts[0] === 'subgraphs') return parts.length > 2 ? `subgraphs/${parts[1]}` : undefined;
  return parts[0];
}

function allows(entry, target) {
  return target === entry || target.startsWith(`${entry}/`);
}

/** Why `from` may not import `target` (both repository-relative), or undefined when it may. */
export function violationOf(from, target) {
  const fromFolder = folderOf(from);
  const targetFolder = folderOf(target);
  if (fromFolder === undefined || targetFolder === undefined || fromFolder === targetFolder) return undefined;
  const isTestCode = TEST_FILE.test(from) || TEST_FOLDERS.includes(fromFolder);
  if (isTestCode) return undefined;
  if (TEST_FOLDERS.includes(targetFolder) || TEST_FILE.test(target))
    return `production code never imports test code: "${fromFolder}/" may not import ${target}`;
  if (targetFolder === 'sim' && fromFolder !== 'cli')
    return `only cli/ and tests import the simulator: "${fromFolder}/" may not import ${target}`;
  const row = MAY_IMPORT[/** @type {keyof typeof MAY_IMPORT} */ (fromFolder)];
  if (row === undefined) return `"${fromFolder}/" has no row in the folder table (eslint/folder-imports.js)`;
  if (row === '*' || row.some((entry) => allows(entry, target))) return undefined;
  const allowed = row.length === 0 ? 'nothing of ours' : row.map((entry) => `${entry}`).join(', ');
  return `folder table: "${fromFolder}/" may import ${allowed}; not ${target}`;
}

/** @type {import('eslint').Rule.RuleModule} */
export const folderImportsRule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports follow the folder table (docs/architecture.md "Folders")' },
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    /** @param {import('estree').Node | null | undefined} source */
    const check = (source) => {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const spec = source.value;
      if (!spec.startsWith('./') && !spec.startsWith('../')) return;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      const problem = violationOf(file, target);
      if (problem !== undefined)
        context.report({ node: source, message: `netweave/folder-imports: ${problem}` });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
    };
  },
};
