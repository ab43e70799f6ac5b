/**
 * Reads the entries of a SOL004 CSAR (a ZIP archive) into memory, refusing anything that could hurt the
 * reader: paths that leave the package root (`../`, absolute paths, drive letters, backslashes), symbolic
 * links, encrypted or duplicate entries, too many entries and expanded sizes over the package budget.
 *
 * yauzl checks each entry's actual expanded size against the size its central directory declares
 * (`validateEntrySizes`), so the declared sizes can be summed against the budget before anything is
 * inflated, and a lying entry fails while it is being read.
 */
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { DmsError } from '../errors.ts';
import type { ExpansionBudget } from './limits.ts';

export const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

export function looksLikeZip(content: Buffer): boolean {
  const head = content.subarray(0, 4);
  return head.equals(ZIP_MAGIC) || head.equals(EMPTY_ZIP_MAGIC);
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function escapes(detail: string): DmsError {
  return new DmsError('UNPROCESSABLE', `the package has an entry whose path ${detail}; refused`);
}

/** yauzl's own path checks run while it lists entries; their messages quote the name, which is not echoed. */
function fromYauzlError(error: unknown): DmsError {
  const message = error instanceof Error ? error.message : '';
  if (message.startsWith('invalid relative path')) return escapes('leaves the package root (..)');
  if (message.startsWith('absolute path')) return escapes('is absolute');
  if (message.startsWith('invalid characters in fileName')) return escapes('contains a backslash');
  if (/too many bytes|too few bytes|expected \d+/i.test(message))
    return new DmsError(
      'UNPROCESSABLE',
      'the package has an entry whose expanded size differs from its declared size',
    );
  return new DmsError('UNPROCESSABLE', 'the package is not a readable ZIP archive');
}

/** A relative, '/'-separated path with no empty, '.' or '..' segment; anything else is refused. */
export function checkEntryPath(name: string): string {
  if (name.includes('\\')) throw escapes('contains a backslash');
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) throw escapes('is absolute');
  if (name.includes('\0')) throw escapes('contains a NUL character');
  const segments = name.split('/');
  if (segments.includes('..')) throw escapes('leaves the package root (..)');
  // './x' and 'a//b' are legal zip names but have two spellings for one file: normalised here.
  return segments.filter((segment) => segment !== '' && segment !== '.').join('/');
}

async function readEntry(zip: ZipFile, entry: Entry): Promise<Buffer> {
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Belt and braces: yauzl already stops an entry that inflates past its declared size.
    if (size > entry.uncompressedSize) {
      stream.destroy();
      throw new DmsError('UNPROCESSABLE', 'the package has an entry larger than its declared size');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export interface ZipReadOptions {
  readonly budget: ExpansionBudget;
  readonly maxEntries: number;
}

/** The files of the archive by normalised path (directories omitted). */
export async function readZip(content: Buffer, options: ZipReadOptions): Promise<Map<string, Buffer>> {
  let zip: ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(content, {
      lazyEntries: true,
      decodeStrings: true,
      validateEntrySizes: true,
      strictFileNames: true,
    });
  } catch (error) {
    throw fromYauzlError(error);
  }
  if (zip.entryCount > options.maxEntries)
    throw new DmsError('PAYLOAD_TOO_LARGE', `the package has more than ${options.maxEntries} entries`);
  const files = new Map<string, Buffer>();
  try {
    for await (const entry of zip.eachEntry()) {
      const path = checkEntryPath(entry.fileName);
      if (entry.fileName.endsWith('/') || path === '') continue;
      if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK)
        throw new DmsError('UNPROCESSABLE', 'the package has a symbolic link entry; refused');
      if (entry.isEncrypted())
        throw new DmsError('UNPROCESSABLE', 'the package has an encrypted entry; refused');
      if (!entry.canDecodeFileData())
        throw new DmsError('UNPROCESSABLE', 'the package uses a compression method other than deflate');
      if (files.has(path))
        throw new DmsError('UNPROCESSABLE', 'the package has two entries with the same path; refused');
      if (!options.budget.take(entry.uncompressedSize))
        throw new DmsError(
          'PAYLOAD_TOO_LARGE',
          `the package expands to more than ${options.budget.limit} bytes; refused`,
        );
      files.set(path, await readEntry(zip, entry));
    }
  } catch (error) {
    if (error instanceof DmsError) throw error;
    throw fromYauzlError(error);
  } finally {
    zip.close();
  }
  return files;
}
