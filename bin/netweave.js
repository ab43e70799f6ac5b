#!/usr/bin/env node
// Runs the compiled CLI (`npm run build` writes dist/; the image ships only that). In a development
// checkout without a build it falls back to the TypeScript sources through tsx, a dev dependency: then
// `npm run build` is what makes this command match the sources again.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/cli/netweave.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    process.stderr.write('netweave: dist/ is missing; run `npm run build` first\n');
    process.exit(1);
  }
  register();
  await import('../cli/netweave.ts');
}
