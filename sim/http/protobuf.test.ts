import { describe, expect, it } from 'vitest';
import { SimApiError } from '../errors.ts';
import { decodeProtobufBody } from './protobuf.ts';

/** Minimal protobuf writer for test fixtures: length-delimited and varint fields only. */
function bytesField(number: number, value: Buffer | string): Buffer {
  const data = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  return Buffer.concat([varint((number << 3) | 2), varint(data.length), data]);
}
function varintField(number: number, value: number): Buffer {
  return Buffer.concat([varint(number << 3), varint(value)]);
}
function varint(value: number): Buffer {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}
function mapEntry(number: number, key: string, value: Buffer | string): Buffer {
  return bytesField(number, Buffer.concat([bytesField(1, key), bytesField(2, value)]));
}
function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  const typeMeta = bytesField(1, Buffer.concat([bytesField(1, apiVersion), bytesField(2, kind)]));
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), typeMeta, bytesField(2, raw)]);
}

describe('protobuf request bodies', () => {
  it('decode a Secret as client-go encodes it (empty optional strings dropped, bytes as base64)', () => {
    const metadata = Buffer.concat([
      bytesField(1, 'sh.helm.release.v1.demo.v1'),
      bytesField(2, ''),
      bytesField(3, 'default'),
      varintField(7, 0),
      bytesField(8, Buffer.alloc(0)),
      mapEntry(11, 'owner', 'helm'),
      mapEntry(11, 'status', 'deployed'),
    ]);
    const secret = Buffer.concat([
      bytesField(1, metadata),
      mapEntry(2, 'release', Buffer.from('payload')),
      bytesField(3, 'helm.sh/release.v1'),
    ]);
    expect(
      decodeProtobufBody(envelope('v1', 'Secret', secret), 'application/vnd.kubernetes.protobuf'),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'sh.helm.release.v1.demo.v1',
        namespace: 'default',
        generation: 0,
        labels: { owner: 'helm', status: 'deployed' },
      },
      data: { release: Buffer.from('payload').toString('base64') },
      type: 'helm.sh/release.v1',
    });
  });

  it('decode DeleteOptions and refuse kinds it has no schema for with 415', () => {
    const options = Buffer.concat([bytesField(4, 'Foreground'), bytesField(2, bytesField(1, 'uid-1'))]);
    expect(
      decodeProtobufBody(
        envelope('meta.k8s.io/v1', 'DeleteOptions', options),
        'application/vnd.kubernetes.protobuf',
      ),
    ).toEqual({
      apiVersion: 'meta.k8s.io/v1',
      kind: 'DeleteOptions',
      propagationPolicy: 'Foreground',
      preconditions: { uid: 'uid-1' },
    });
    const error = (() => {
      try {
        decodeProtobufBody(
          envelope('apps/v1', 'Deployment', Buffer.alloc(0)),
          'application/vnd.kubernetes.protobuf',
        );
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SimApiError);
    expect((error as SimApiError).code).toBe(415);
  });
});
