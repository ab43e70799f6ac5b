/**
 * Decoding of the Kubernetes protobuf request bodies real clients send for a few core types.
 *
 * Responses are always JSON (clients decode by the response Content-Type), but typed client-go clients
 * configured for protobuf — Helm 4's release storage is one — also *send* protobuf when they create or
 * update Secrets and ConfigMaps, or pass DeleteOptions. Those few messages are decoded here into the JSON
 * the API server would have received; anything else is refused with 415, as an unknown format.
 *
 * Wire format: the 4-byte magic `k8s\0`, then a runtime.Unknown {typeMeta: {apiVersion, kind}, raw}
 * whose `raw` is the object's own message (k8s.io/api generated.proto field numbers below).
 */
import { SimApiError, unsupportedMediaType } from '../errors.ts';

type FieldType =
  | 'string'
  | 'bytes'
  | 'int64'
  | 'bool'
  | { readonly message: Schema }
  | { readonly repeated: 'string' | { readonly message: Schema } }
  | { readonly map: 'string' | 'bytes' };

type Schema = Readonly<Record<number, readonly [name: string, type: FieldType]>>;

const TIME: Schema = { 1: ['seconds', 'int64'], 2: ['nanos', 'int64'] };

const OWNER_REFERENCE: Schema = {
  1: ['kind', 'string'],
  3: ['name', 'string'],
  4: ['uid', 'string'],
  5: ['apiVersion', 'string'],
  6: ['controller', 'bool'],
  7: ['blockOwnerDeletion', 'bool'],
};

const OBJECT_META: Schema = {
  1: ['name', 'string'],
  2: ['generateName', 'string'],
  3: ['namespace', 'string'],
  5: ['uid', 'string'],
  6: ['resourceVersion', 'string'],
  7: ['generation', 'int64'],
  8: ['creationTimestamp', { message: TIME }],
  9: ['deletionTimestamp', { message: TIME }],
  10: ['deletionGracePeriodSeconds', 'int64'],
  11: ['labels', { map: 'string' }],
  12: ['annotations', { map: 'string' }],
  13: ['ownerReferences', { repeated: { message: OWNER_REFERENCE } }],
  14: ['finalizers', { repeated: 'string' }],
};

const SCHEMAS: Readonly<Record<string, Schema>> = {
  'v1/Secret': {
    1: ['metadata', { message: OBJECT_META }],
    2: ['data', { map: 'bytes' }],
    3: ['type', 'string'],
    4: ['stringData', { map: 'string' }],
    5: ['immutable', 'bool'],
  },
  'v1/ConfigMap': {
    1: ['metadata', { message: OBJECT_META }],
    2: ['data', { map: 'string' }],
    3: ['binaryData', { map: 'bytes' }],
    4: ['immutable', 'bool'],
  },
  'v1/DeleteOptions': {
    1: ['gracePeriodSeconds', 'int64'],
    2: ['preconditions', { message: { 1: ['uid', 'string'], 2: ['resourceVersion', 'string'] } }],
    3: ['orphanDependents', 'bool'],
    4: ['propagationPolicy', 'string'],
    5: ['dryRun', { repeated: 'string' }],
  },
};
// DeleteOptions is also sent under meta.k8s.io/v1.
const SCHEMA_ALIASES: Readonly<Record<string, string>> = {
  'meta.k8s.io/v1/DeleteOptions': 'v1/DeleteOptions',
};

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

interface Field {
  readonly number: number;
  readonly wireType: number;
  /** Varint value (wire type 0) or the bytes of a length-delimited field (wire type 2). */
  readonly value: bigint | Buffer;
}

class Reader {
  private offset = 0;
  constructor(private readonly buffer: Buffer) {}

  done(): boolean {
    return this.offset >= this.buffer.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (this.offset >= this.buffer.length || shift > 63n) throw new Error('truncated varint');
      const byte = this.buffer[this.offset++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  }

  field(): Field {
    const key = Number(this.varint());
    const wireType = key & 7;
    const number = key >>> 3;
    switch (wireType) {
      case 0:
        return { number, wireType, value: this.varint() };
      case 2: {
        const length = Number(this.varint());
        if (this.offset + length > this.buffer.length) throw new Error('truncated field');
        const value = this.buffer.subarray(this.offset, this.offset + length);
        this.offset += length;
        return { number, wireType, value };
      }
      case 1:
        this.offset += 8;
        return { number, wireType, value: 0n };
      case 5:
        this.offset += 4;
        return { number, wireType, value: 0n };
      default:
        throw new Error(`unsupported wire type ${wireType}`);
    }
  }
}

function fields(buffer: Buffer): Field[] {
  const reader = new Reader(buffer);
  const out: Field[] = [];
  while (!reader.done()) out.push(reader.field());
  return out;
}

function bytesOf(field: Field): Buffer {
  if (!Buffer.isBuffer(field.value)) throw new Error(`field ${field.number} is not length-delimited`);
  return field.value;
}

function scalar(field: Field, type: 'string' | 'bytes' | 'int64' | 'bool'): unknown {
  switch (type) {
    case 'string':
      return bytesOf(field).toString('utf8');
    case 'bytes':
      // JSON carries bytes as base64, as the API server's JSON encoding of []byte does.
      return bytesOf(field).toString('base64');
    case 'int64':
      return Number(BigInt.asIntN(64, field.value as bigint));
    case 'bool':
      return field.value !== 0n;
  }
}

function timeToJson(time: Record<string, unknown>): string | undefined {
  const seconds = typeof time['seconds'] === 'number' ? time['seconds'] : 0;
  return seconds === 0 ? undefined : new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Decodes one message; empty strings and zero times are dropped, like JSON's omitempty. */
function decodeMessage(buffer: Buffer, schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields(buffer)) {
    const entry = schema[field.number];
    if (entry === undefined) continue;
    const [name, type] = entry;
    if (typeof type === 'string') {
      const value = scalar(field, type);
      if (value !== '') out[name] = value;
    } else if ('message' in type) {
      const message = decodeMessage(bytesOf(field), type.message);
      const value = type.message === TIME ? timeToJson(message) : message;
      if (value !== undefined) out[name] = value;
    } else if ('repeated' in type) {
      const list = (out[name] as unknown[] | undefined) ?? [];
      list.push(
        type.repeated === 'string'
          ? scalar(field, 'string')
          : decodeMessage(bytesOf(field), type.repeated.message),
      );
      out[name] = list;
    } else {
      const map = (out[name] as Record<string, unknown> | undefined) ?? {};
      let key = '';
      let value: unknown = '';
      for (const part of fields(bytesOf(field))) {
        if (part.number === 1) key = bytesOf(part).toString('utf8');
        else if (part.number === 2) value = scalar(part, type.map);
      }
      map[key] = value;
      out[name] = map;
    }
  }
  return out;
}

/** Decodes a `application/vnd.kubernetes.protobuf` body into the JSON object it encodes. */
export function decodeProtobufBody(body: Buffer, contentType: string): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC))
    throw unsupportedMediaType(`${contentType} (missing k8s protobuf envelope)`);
  let apiVersion = '';
  let kind = '';
  let raw: Buffer | undefined;
  try {
    for (const field of fields(body.subarray(4))) {
      if (field.number === 1) {
        const meta = decodeMessage(bytesOf(field), { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] });
        apiVersion = typeof meta['apiVersion'] === 'string' ? meta['apiVersion'] : '';
        kind = typeof meta['kind'] === 'string' ? meta['kind'] : '';
      } else if (field.number === 2) {
        raw = bytesOf(field);
      }
    }
    const key = `${apiVersion}/${kind}`;
    const schema = SCHEMAS[SCHEMA_ALIASES[key] ?? key];
    if (schema === undefined || raw === undefined)
      throw unsupportedMediaType(
        `${contentType} for ${kind || 'an unknown kind'} (the simulator decodes protobuf only for Secrets, ConfigMaps and DeleteOptions; send JSON)`,
      );
    return { apiVersion, kind, ...decodeMessage(raw, schema) };
  } catch (error) {
    if (error instanceof SimApiError) throw error;
    throw unsupportedMediaType(
      `${contentType} (undecodable: ${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
