/**
 * netweave's sample NF packages, built from the plain-text sources under `samples/packages/<name>/` so that
 * nothing binary is committed: every chart folder under `Files/kubernetes/` is packed into
 * `<name>-<version>.tgz` (as `helm package` names it), TOSCA.meta gets one block per chart with its SHA-256,
 * and the whole is zipped as a SOL004 CSAR. The bytes are deterministic (sorted entries, fixed times and
 * modes), so a package's checksum is stable on one machine.
 *
 *   npx tsx dms/packages/samples.ts netweave-sample-cnf > /tmp/pkg.zip
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import yazl from 'yazl';
import { sha256 } from './artifact-hashes.ts';
import { TOSCA_META_PATH } from './tosca-meta.ts';
import { isRecord, parseYaml, stringOf } from './yaml-doc.ts';

export const SAMPLE_PACKAGES = ['netweave-sample-cnf', 'netweave-sample-cnf-v2'] as const;
export type SamplePackageName = (typeof SAMPLE_PACKAGES)[number];

export const SAMPLES_DIRECTORY = fileURLToPath(new URL('../../samples/packages/', import.meta.url));

/** 2020-01-01T00:00:00Z: any fixed instant makes archives reproducible. */
const FIXED_MTIME = new Date(Date.UTC(2020, 0, 1));

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) out.push(relative(root, path).split(sep).join('/'));
    }
  };
  await walk(root);
  return out.sort();
}

/** A gzip tar of `files` (path → bytes), entries in the given order, with fixed metadata. */
export async function tarGz(files: ReadonlyMap<string, Buffer>): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = (async () => {
    for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
  })();
  for (const [name, content] of files) {
    await new Promise<void>((resolve, reject) => {
      pack.entry(
        { name, size: content.length, mode: 0o644, mtime: FIXED_MTIME, uid: 0, gid: 0, uname: '', gname: '' },
        content,
        (error) => (error ? reject(error) : resolve()),
      );
    });
  }
  pack.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

export interface PackedChart {
  readonly name: string;
  readonly version: string;
  readonly archive: Buffer;
}

/** `helm package` of a chart folder, in memory: entries under `<chart name>/`. */
export async function packChartDirectory(dir: string): Promise<PackedChart> {
  const chart = parseYaml(await readFile(join(dir, 'Chart.yaml')), `${dir}/Chart.yaml`, { strings: true });
  const name = isRecord(chart) ? stringOf(chart['name']) : undefined;
  const version = isRecord(chart) ? stringOf(chart['version']) : undefined;
  if (name === undefined || version === undefined)
    throw new Error(`${dir}/Chart.yaml needs name and version`);
  const files = new Map<string, Buffer>();
  for (const path of await filesUnder(dir)) files.set(`${name}/${path}`, await readFile(join(dir, path)));
  return { name, version, archive: await tarGz(files) };
}

/** A zip of `files` in sorted path order with fixed times; what every CSAR builder here uses. */
export async function zipFiles(files: ReadonlyMap<string, Buffer>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const path of [...files.keys()].sort())
    zip.addBuffer(files.get(path)!, path, { mtime: FIXED_MTIME, mode: 0o100644, compress: true });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** TOSCA.meta without the artifact blocks of `paths`, then one new block per chart with its SHA-256. */
export function withArtifactHashes(meta: string, charts: ReadonlyMap<string, Buffer>): string {
  const blocks = meta
    .replace(/\r\n?/g, '\n')
    .trimEnd()
    .split(/\n[ \t]*\n/);
  const kept = blocks.filter((block, index) => {
    if (index === 0) return true;
    const name = /^Name:\s*(.+)$/m.exec(block)?.[1]?.trim();
    return name === undefined || !charts.has(name);
  });
  const added = [...charts].map(
    ([path, archive]) =>
      `Name: ${path}\nContent-Type: application/vnd.helm.chart+tgz\nAlgorithm: SHA-256\nHash: ${sha256(archive)}`,
  );
  return `${[...kept, ...added].join('\n\n')}\n`;
}

export interface CsarBuildOptions {
  /** Files added to (or replacing files of) the package, by path. */
  readonly extraFiles?: ReadonlyMap<string, Buffer>;
  /** false: TOSCA.meta is zipped as written, without the charts' new hashes (default true). */
  readonly rewriteToscaMeta?: boolean;
}

/**
 * A SOL004 CSAR from a source folder: chart folders under `Files/kubernetes/` (those with a Chart.yaml)
 * become `Files/kubernetes/<name>-<version>.tgz`, and TOSCA.meta lists their hashes.
 */
export async function buildCsarFromDirectory(root: string, options: CsarBuildOptions = {}): Promise<Buffer> {
  const sources = await filesUnder(root);
  const chartDirs = [
    ...new Set(
      sources
        .map((path) => /^(Files\/kubernetes\/[^/]+)\/Chart\.yaml$/.exec(path)?.[1])
        .filter((dir): dir is string => dir !== undefined),
    ),
  ];
  const files = new Map<string, Buffer>();
  for (const path of sources) {
    if (chartDirs.some((dir) => path.startsWith(`${dir}/`))) continue;
    files.set(path, await readFile(join(root, path)));
  }
  const charts = new Map<string, Buffer>();
  for (const dir of chartDirs) {
    const chart = await packChartDirectory(join(root, dir));
    charts.set(`Files/kubernetes/${chart.name}-${chart.version}.tgz`, chart.archive);
  }
  for (const [path, content] of options.extraFiles ?? []) files.set(path, content);
  for (const [path, archive] of charts) files.set(path, archive);
  const meta = files.get(TOSCA_META_PATH);
  if (meta !== undefined && options.rewriteToscaMeta !== false)
    files.set(TOSCA_META_PATH, Buffer.from(withArtifactHashes(meta.toString('utf8'), charts)));
  return zipFiles(files);
}

export function buildSamplePackage(name: SamplePackageName): Promise<Buffer> {
  if (!SAMPLE_PACKAGES.includes(name)) throw new Error(`no sample package named ${JSON.stringify(name)}`);
  return buildCsarFromDirectory(join(SAMPLES_DIRECTORY, name));
}

function isSampleName(value: string | undefined): value is SamplePackageName {
  return SAMPLE_PACKAGES.some((name) => name === value);
}

// CLI: write a sample package to standard output.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const name = process.argv[2];
  if (!isSampleName(name)) {
    process.stderr.write(
      `usage: npx tsx dms/packages/samples.ts <${SAMPLE_PACKAGES.join('|')}> > package.zip\n`,
    );
    process.exitCode = 2;
  } else {
    process.stdout.write(await buildSamplePackage(name));
  }
}
