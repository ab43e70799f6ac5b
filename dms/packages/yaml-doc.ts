/**
 * YAML of package files (TOSCA definitions, Chart.yaml, values.yaml, metadata values), parsed with the
 * `yaml` library under limits suited to untrusted input: aliases are bounded (no "billion laughs"),
 * duplicate keys are an error, and a failure names the file and position, never its content.
 */
import { parse, YAMLParseError } from 'yaml';
import { DmsError } from '../errors.ts';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own data property, also for a key such as "__proto__" that plain assignment would not create. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Scalars as text (TOSCA versions and ids are strings even when written as `1.0`). */
export function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export interface ParseYamlOptions {
  /** Every scalar as a string (YAML failsafe schema): keeps `1.0` as written. */
  readonly strings?: boolean;
}

export function parseYaml(source: Buffer | string, where: string, options: ParseYamlOptions = {}): unknown {
  const text = typeof source === 'string' ? source : source.toString('utf8');
  try {
    return parse(text, {
      maxAliasCount: 64,
      uniqueKeys: true,
      prettyErrors: false,
      ...(options.strings === true ? { schema: 'failsafe' as const } : {}),
    });
  } catch (error) {
    const position =
      error instanceof YAMLParseError && error.linePos !== undefined
        ? ` (line ${error.linePos[0].line}, column ${error.linePos[0].col})`
        : '';
    throw new DmsError('UNPROCESSABLE', `${where} is not valid YAML${position}`);
  }
}
