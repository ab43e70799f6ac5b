/**
 * The files that make up the descriptor of an on-boarded CSAR (SOL005 "VNFD in an individual VNF package"):
 * the entry definitions, every package file it imports (the ETSI type files too when the package has them)
 * and TOSCA-Metadata/TOSCA.meta when present. A VNFD is "one file" when that set is the entry alone.
 */
import { TOSCA_META_PATH, parseToscaMeta } from './tosca-meta.ts';
import { importTargets, loadServiceTemplate, resolveInPackage } from './tosca.ts';
import { checkEntryPath } from './zip.ts';

export interface VnfdFiles {
  readonly entryPath: string;
  /** Path → bytes: the entry, its imports and TOSCA.meta. */
  readonly files: ReadonlyMap<string, Buffer>;
  readonly singleFile: boolean;
}

/** Undefined when `files` is not a CSAR with readable entry definitions. */
export function vnfdFilesOf(files: ReadonlyMap<string, Buffer>): VnfdFiles | undefined {
  const meta = files.get(TOSCA_META_PATH);
  let entryName: string | undefined;
  if (meta !== undefined) entryName = parseToscaMeta(meta.toString('utf8')).entryDefinitions;
  else {
    const roots = [...files.keys()].filter((path) => !path.includes('/') && /\.ya?ml$/i.test(path));
    entryName = roots.length === 1 ? roots[0] : undefined;
  }
  if (entryName === undefined) return undefined;
  const entryPath = checkEntryPath(entryName);
  const definitions = loadServiceTemplate(files, entryPath);
  const out = new Map<string, Buffer>();
  for (const file of definitions) {
    out.set(file.path, files.get(file.path)!);
    // Imports on-boarding skips (the ETSI type files) are part of the VNFD when the package has them.
    for (const target of importTargets(file.doc)) {
      const path = resolveInPackage(file.path, target);
      const content = path === undefined ? undefined : files.get(path);
      if (path !== undefined && content !== undefined) out.set(path, content);
    }
  }
  const singleFile = out.size === 1;
  if (meta !== undefined) out.set(TOSCA_META_PATH, meta);
  return { entryPath, files: out, singleFile };
}
