// Internal: the protobuf wire format, as much of it as onnx.proto needs (varints, fixed 32-bit
// floats, length-delimited fields). A message is a list of byte chunks plus its length, so
// nesting a 100 MB initializer into a graph and the graph into a model copies its bytes once, at
// the end (`flatten`).

const utf8 = new TextEncoder();

/** An encoded message or field: chunks in order and their total length. */
export interface Bytes {
  readonly chunks: readonly Uint8Array[];
  readonly length: number;
}

export function concat(parts: readonly Bytes[]): Bytes {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (const p of parts) {
    for (const c of p.chunks) chunks.push(c);
    length += p.length;
  }
  return { chunks, length };
}

const of = (bytes: Uint8Array): Bytes => ({ chunks: [bytes], length: bytes.length });

/** Varint of an unsigned value, or of a negative int64 as its 64-bit two's complement (10 bytes). */
export function varint(value: number | bigint): Uint8Array {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v > 127n) {
    out.push(Number(v & 127n) | 128);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

/** Wire type 0: an int32/int64/enum/bool field. */
export const intField = (field: number, value: number | bigint): Bytes =>
  of(Uint8Array.from([...varint(field << 3), ...varint(value)]));

/** Wire type 5: a float field. */
export function floatField(field: number, value: number): Bytes {
  const bytes = new Uint8Array(5);
  bytes[0] = (field << 3) | 5;
  new DataView(bytes.buffer).setFloat32(1, value, true);
  return of(bytes);
}

/** Wire type 2: bytes, a string or an embedded message. */
export function bytesField(field: number, payload: Bytes | Uint8Array): Bytes {
  const body = payload instanceof Uint8Array ? of(payload) : payload;
  const head = Uint8Array.from([...varint((field << 3) | 2), ...varint(body.length)]);
  return concat([of(head), body]);
}

export const stringField = (field: number, text: string): Bytes =>
  bytesField(field, utf8.encode(text));

/** One contiguous buffer. */
export function flatten(bytes: Bytes): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let at = 0;
  for (const c of bytes.chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
