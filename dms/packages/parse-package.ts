/**
 * On-boarding of an uploaded NF package: recognises what was uploaded, checks it, and reduces it to a
 * VnfDescriptor. Three forms are accepted (docs/dms.md):
 *
 *   SOL004 CSAR (zip) with a SOL001 VNFD   TOSCA.meta Entry-Definitions (or a single root YAML), artifact
 *                                          hashes of TOSCA.meta and the manifest verified, charts under
 *                                          Files/kubernetes/*.tgz
 *   O-RAN ASD CSAR (zip)                   entry definitions with a tosca.nodes.asd node template (or a
 *                                          manifest saying entry_definition_type: asd), helm_chart items
 *   bare Helm chart (.tgz)                 identity from Chart.yaml; vnfdId = UUID v5 of name and version
 *
 * Every refusal is a DmsError whose code and detail become the package's onboardingFailureDetails.
 */
import { posix } from 'node:path';
import { globalId } from '../../o2/ids.ts';
import { DmsError } from '../errors.ts';
import type { ChartArtifact, VnfDescriptor } from '../descriptor.ts';
import { verifyArtifactHashes } from './artifact-hashes.ts';
import { ASD_NODE_TYPE, readAsd } from './asd.ts';
import { looksLikeGzip, readChart } from './chart.ts';
import type { ChartInfo } from './chart.ts';
import { ExpansionBudget } from './limits.ts';
import type { PackageLimits } from './limits.ts';
import { parseManifest, parseToscaMeta, TOSCA_META_PATH } from './tosca-meta.ts';
import type { ListedArtifact, Manifest } from './tosca-meta.ts';
import { loadDefinitionsFile, loadServiceTemplate, nodeTemplates } from './tosca.ts';
import { readVnfd } from './vnfd.ts';
import { checkEntryPath, looksLikeZip, readZip } from './zip.ts';

/** Where Helm charts of a SOL004 CSAR live (as Tacker's CNF packages have them). */
export const CHART_FOLDER = 'Files/kubernetes/';

/** Chart annotations read as the provider of a bare chart, first match wins. */
export const PROVIDER_ANNOTATIONS = ['netweave.io/provider', 'provider'] as const;

function quoted(path: string): string {
  return JSON.stringify(path.length > 200 ? `${path.slice(0, 200)}…` : path);
}

export function bareChartVnfdId(name: string, version: string): string {
  return globalId('helm-chart-vnfd', `${name}\u0000${version}`);
}

function chartDescriptor(chart: ChartInfo): VnfDescriptor {
  const provider = PROVIDER_ANNOTATIONS.map((key) => chart.annotations[key]).find(
    (value) => value !== undefined && value !== '',
  );
  return {
    kind: 'chart',
    vnfdId: bareChartVnfdId(chart.name, chart.version),
    vnfProvider: provider ?? 'unknown',
    vnfProductName: chart.name,
    vnfSoftwareVersion: chart.appVersion ?? chart.version,
    vnfdVersion: chart.version,
    charts: [{ path: '', name: chart.name, version: chart.version }],
    vdus: [],
    extCpds: [],
    flavours: [{ flavourId: 'default', values: {}, vdus: [], scalingAspects: [], instantiationLevels: [] }],
  };
}

function rootYaml(files: ReadonlyMap<string, Buffer>): string | undefined {
  const candidates = [...files.keys()].filter((path) => !path.includes('/') && /\.ya?ml$/i.test(path));
  return candidates.length === 1 ? candidates[0] : undefined;
}

function locateManifest(files: ReadonlyMap<string, Buffer>, named: string | undefined): string | undefined {
  if (named !== undefined) {
    const path = checkEntryPath(named);
    if (!files.has(path))
      throw new DmsError(
        'UNPROCESSABLE',
        `${TOSCA_META_PATH} names the manifest ${quoted(named)}, which the package lacks`,
      );
    return path;
  }
  const candidates = [...files.keys()].filter(
    (path) => !path.includes('/') && path.toLowerCase().endsWith('.mf'),
  );
  return candidates.length === 1 ? candidates[0] : undefined;
}

async function chartsAt(
  files: ReadonlyMap<string, Buffer>,
  paths: readonly string[],
  budget: ExpansionBudget,
  maxEntries: number,
): Promise<ChartArtifact[]> {
  const charts: ChartArtifact[] = [];
  for (const path of paths) {
    const archive = files.get(path);
    if (archive === undefined)
      throw new DmsError('UNPROCESSABLE', `the chart ${quoted(path)} is not in the package`);
    const chart = await readChart(archive, `the chart ${quoted(path)}`, { budget, maxEntries });
    charts.push({ path, name: chart.name, version: chart.version });
  }
  return charts;
}

async function csarDescriptor(content: Buffer, limits: PackageLimits): Promise<VnfDescriptor> {
  const budget = new ExpansionBudget(limits.maxExpandedBytes);
  const files = await readZip(content, { budget, maxEntries: limits.maxEntries });
  const metaBytes = files.get(TOSCA_META_PATH);
  const meta = metaBytes === undefined ? undefined : parseToscaMeta(metaBytes.toString('utf8'));
  const entryName = meta === undefined ? rootYaml(files) : meta.entryDefinitions;
  if (entryName === undefined)
    throw new DmsError(
      'UNPROCESSABLE',
      meta === undefined
        ? `the package has neither ${TOSCA_META_PATH} nor a single YAML file at its root`
        : `${TOSCA_META_PATH} has no Entry-Definitions`,
    );
  const entryPath = checkEntryPath(entryName);
  if (!files.has(entryPath))
    throw new DmsError(
      'UNPROCESSABLE',
      `the entry definitions file ${quoted(entryName)} is not in the package`,
    );

  const manifestPath = locateManifest(files, meta?.entryManifest);
  let manifest: Manifest | undefined;
  if (manifestPath !== undefined)
    manifest = parseManifest(files.get(manifestPath)!.toString('utf8'), manifestPath);
  const listed: ListedArtifact[] = [...(meta?.artifacts ?? []), ...(manifest?.artifacts ?? [])];
  verifyArtifactHashes(files, listed);

  const entry = loadDefinitionsFile(files, entryPath);
  const isAsd =
    manifest?.metadata['entry_definition_type']?.toLowerCase() === 'asd' ||
    nodeTemplates(entry).some((node) => node.type === ASD_NODE_TYPE);
  if (isAsd) {
    const asd = readAsd(entry);
    const charts = await chartsAt(files, asd.chartPaths, budget, limits.maxEntries);
    return {
      kind: 'asd',
      vnfdId: asd.vnfdId,
      vnfProvider: asd.vnfProvider,
      vnfProductName: asd.vnfProductName,
      vnfSoftwareVersion: asd.vnfSoftwareVersion,
      vnfdVersion: asd.vnfdVersion,
      charts,
      vdus: [],
      extCpds: asd.extCpds,
      flavours: [
        { flavourId: 'default', values: asd.values, vdus: [], scalingAspects: [], instantiationLevels: [] },
      ],
    };
  }

  const vnfd = readVnfd(loadServiceTemplate(files, entryPath));
  const chartPaths = [...files.keys()]
    .filter((path) => path.startsWith(CHART_FOLDER) && path.endsWith('.tgz'))
    .sort();
  if (vnfd.defaultChartPath !== undefined) {
    const preferred = posix.normalize(vnfd.defaultChartPath);
    const at = chartPaths.indexOf(preferred);
    if (at < 0)
      throw new DmsError(
        'UNPROCESSABLE',
        `netweave.helm.chart names ${quoted(vnfd.defaultChartPath)}, which is not a chart under ${CHART_FOLDER}`,
      );
    chartPaths.splice(at, 1);
    chartPaths.unshift(preferred);
  }
  if (chartPaths.length === 0)
    throw new DmsError('UNPROCESSABLE', `the package has no Helm chart (.tgz) under ${CHART_FOLDER}`);
  const charts = await chartsAt(files, chartPaths, budget, limits.maxEntries);
  return {
    kind: 'vnfd',
    vnfdId: vnfd.vnfdId,
    vnfProvider: vnfd.vnfProvider,
    vnfProductName: vnfd.vnfProductName,
    vnfSoftwareVersion: vnfd.vnfSoftwareVersion,
    vnfdVersion: vnfd.vnfdVersion,
    charts,
    vdus: vnfd.vdus,
    extCpds: vnfd.extCpds,
    flavours: vnfd.flavours,
  };
}

/** The descriptor of an uploaded package; throws DmsError (never anything else for bad input). */
export async function parsePackage(content: Buffer, limits: PackageLimits): Promise<VnfDescriptor> {
  if (content.length > limits.maxContentBytes)
    throw new DmsError('PAYLOAD_TOO_LARGE', `the package is larger than ${limits.maxContentBytes} bytes`);
  if (content.length === 0) throw new DmsError('UNPROCESSABLE', 'the package is empty');
  if (looksLikeZip(content)) return csarDescriptor(content, limits);
  if (looksLikeGzip(content)) {
    const budget = new ExpansionBudget(limits.maxExpandedBytes);
    return chartDescriptor(
      await readChart(content, 'the chart archive', { budget, maxEntries: limits.maxEntries }),
    );
  }
  throw new DmsError(
    'UNPROCESSABLE',
    'the package is neither a ZIP archive (SOL004 CSAR) nor a gzip-compressed Helm chart',
  );
}

/** The files of a CSAR (for reading artifacts of an on-boarded package); undefined for a bare chart. */
export async function packageFiles(
  content: Buffer,
  limits: PackageLimits,
): Promise<Map<string, Buffer> | undefined> {
  if (!looksLikeZip(content)) return undefined;
  return readZip(content, {
    budget: new ExpansionBudget(limits.maxExpandedBytes),
    maxEntries: limits.maxEntries,
  });
}
