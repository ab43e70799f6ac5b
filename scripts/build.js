#!/usr/bin/env node
// `npm run build`: compiles the production folders (tsconfig.build.json) to JavaScript and copies the
// files they read at run time (GraphQL SDL, OpenAPI documents, built-in scenarios, sample packages, the topology page) to the
// same relative places, so `new URL('../schema/…', import.meta.url)` resolves in the output as in the
// sources. `--out-dir DIR` builds elsewhere (tests build into .netweave/ to leave dist/ alone); DIR must sit
// inside the repository so the output still resolves node_modules.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { parseArgs } from 'node:util';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' } } });
const outDir = resolve(root, values['out-dir']);
const RUNTIME_ASSETS = ['schema', 'sim/scenarios', 'samples/packages', 'web'];

rmSync(outDir, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], {
  stdio: 'inherit',
});
for (const asset of RUNTIME_ASSETS) cpSync(join(root, asset), join(outDir, asset), { recursive: true });
process.stdout.write(`built ${outDir}\n`);
