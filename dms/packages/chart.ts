/**
 * Helm chart archives (`<name>-<version>.tgz`, as `helm package` writes them): a gzip tar whose entries
 * sit under one top folder holding `Chart.yaml`. netweave reads only Chart.yaml (identity, annotations)
 * and the chart's own values.yaml; the archive itself goes to `helm` unchanged.
 *
 * The gzip layer is expanded against the package's budget (a gzip bomb inside a CSAR counts too), and
 * entries are read in memory only, never written to disk.
 */
import { gunzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { DmsError } from '../errors.ts';
import type { ExpansionBudget } from './limits.ts';
import { isRecord, parseYaml, stringOf } from './yaml-doc.ts';

export interface ChartInfo {
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
  readonly description?: string;
  readonly annotations: Readonly<Record<string, string>>;
  /** The chart's values.yaml (empty when it has none). */
  readonly values: Readonly<Record<string, unknown>>;
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

export function looksLikeGzip(content: Buffer): boolean {
  return content.subarray(0, 2).equals(GZIP_MAGIC);
}

function invalid(where: string, detail: string): DmsError {
  return new DmsError('UNPROCESSABLE', `${where} is not a valid Helm chart archive: ${detail}`);
}

function gunzip(archive: Buffer, where: string, budget: ExpansionBudget): Buffer {
  if (!looksLikeGzip(archive)) throw invalid(where, 'it is not gzip-compressed');
  let tarBytes: Buffer;
  try {
    // One byte over the remaining budget tells "too large" from "exactly at the limit".
    tarBytes = gunzipSync(archive, { maxOutputLength: Math.max(1, budget.remaining + 1) });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new DmsError(
        'PAYLOAD_TOO_LARGE',
        `${where} expands to more than the package limit of ${budget.limit} bytes`,
      );
    throw invalid(where, 'its gzip stream is corrupt');
  }
  if (!budget.take(tarBytes.length))
    throw new DmsError(
      'PAYLOAD_TOO_LARGE',
      `${where} expands to more than the package limit of ${budget.limit} bytes`,
    );
  return tarBytes;
}

/** Chart.yaml and values.yaml of the top folder, read from the tar in memory. */
async function topChartFiles(
  tarBytes: Buffer,
  where: string,
  maxEntries: number,
): Promise<{ chartYaml: Buffer; valuesYaml?: Buffer }> {
  const extract = tar.extract();
  const wanted = new Map<string, Buffer>();
  let top: string | undefined;
  let entries = 0;
  const reading = (async () => {
    for await (const entry of extract) {
      entries += 1;
      if (entries > maxEntries) throw invalid(where, `it has more than ${maxEntries} entries`);
      const name = entry.header.name.replace(/^\.\//, '');
      const segments = name.split('/');
      if (name.startsWith('/') || segments.includes('..') || name.includes('\\'))
        throw invalid(where, 'an entry path leaves the chart folder');
      const first = segments[0] ?? '';
      if (first !== '') {
        if (top === undefined) top = first;
        else if (top !== first) throw invalid(where, 'its entries are not under one top folder');
      }
      const rest = segments.slice(1).join('/');
      const chunks: Buffer[] = [];
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        if (rest === 'Chart.yaml' || rest === 'values.yaml') chunks.push(chunk);
      }
      if (entry.header.type === 'file' && (rest === 'Chart.yaml' || rest === 'values.yaml'))
        wanted.set(rest, Buffer.concat(chunks));
    }
  })();
  extract.end(tarBytes);
  try {
    await reading;
  } catch (error) {
    if (error instanceof DmsError) throw error;
    throw invalid(where, 'its tar stream is corrupt');
  }
  const chartYaml = wanted.get('Chart.yaml');
  if (chartYaml === undefined) throw invalid(where, 'it has no Chart.yaml in its top folder');
  const valuesYaml = wanted.get('values.yaml');
  return valuesYaml === undefined ? { chartYaml } : { chartYaml, valuesYaml };
}

export async function readChart(
  archive: Buffer,
  where: string,
  options: { readonly budget: ExpansionBudget; readonly maxEntries: number },
): Promise<ChartInfo> {
  const files = await topChartFiles(gunzip(archive, where, options.budget), where, options.maxEntries);
  // Chart.yaml holds strings only (versions such as 1.10 must not become numbers).
  const chart = parseYaml(files.chartYaml, `${where} Chart.yaml`, { strings: true });
  if (!isRecord(chart)) throw invalid(where, 'Chart.yaml is not a mapping');
  const name = stringOf(chart['name']);
  const version = stringOf(chart['version']);
  if (name === undefined || name === '') throw invalid(where, 'Chart.yaml has no name');
  if (version === undefined || version === '') throw invalid(where, 'Chart.yaml has no version');
  const annotations: Record<string, string> = {};
  const rawAnnotations = chart['annotations'];
  if (isRecord(rawAnnotations)) {
    for (const [key, value] of Object.entries(rawAnnotations)) {
      const text = stringOf(value);
      if (text !== undefined) annotations[key] = text;
    }
  }
  let values: Record<string, unknown> = {};
  if (files.valuesYaml !== undefined) {
    const parsed = parseYaml(files.valuesYaml, `${where} values.yaml`);
    if (parsed !== null && parsed !== undefined && !isRecord(parsed))
      throw invalid(where, 'values.yaml is not a mapping');
    values = parsed ?? {};
  }
  const appVersion = stringOf(chart['appVersion']);
  const description = stringOf(chart['description']);
  return {
    name,
    version,
    annotations,
    values,
    ...(appVersion === undefined ? {} : { appVersion }),
    ...(description === undefined ? {} : { description }),
  };
}
