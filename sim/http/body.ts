/** Request bodies: JSON (YAML for apply patches and `application/yaml` writes), size-limited. */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { SimApiError, badRequest } from '../errors.ts';

const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES)
      throw new SimApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 16777216');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** The media type without parameters, lower-cased (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

export function parseBody(raw: Buffer, contentType: string): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    if (contentType.endsWith('yaml')) return parseYaml(text) as unknown;
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(
      `the request body could not be decoded: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
