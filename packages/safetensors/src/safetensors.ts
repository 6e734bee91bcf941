import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@rtk/files';
import { SafetensorsCorruptError, SafetensorsDtypeError, SafetensorsWriteError } from './errors.js';

/**
 * Element types of the safetensors format (the Rust reference's `Dtype`), with their byte sizes.
 * This constant is the single source of the list: the reader validates against it.
 */
export const SAFETENSORS_DTYPE_SIZES: Readonly<Record<SafetensorsDtype, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

/** A safetensors element type. */
export type SafetensorsDtype =
  | 'BOOL'
  | 'U8'
  | 'I8'
  | 'F8_E5M2'
  | 'F8_E4M3'
  | 'I16'
  | 'U16'
  | 'F16'
  | 'BF16'
  | 'I32'
  | 'U32'
  | 'F32'
  | 'F64'
  | 'I64'
  | 'U64';

/** One tensor of a safetensors file: its raw little-endian, row-major bytes. */
export interface SafetensorsTensor {
  /** Name as stored in the header (e.g. `bert.encoder.layer.0.output.dense.weight`). */
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  /** Dimensions; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** Exactly `product(shape) × size(dtype)` bytes. */
  readonly bytes: Uint8Array;
}

/** A parsed safetensors file. */
export interface SafetensorsFile {
  /** Tensors in header order. */
  readonly tensors: ReadonlyMap<string, SafetensorsTensor>;
  /** The optional `__metadata__` string map. */
  readonly metadata: Readonly<Record<string, string>> | undefined;
}

/** Options for {@link parseSafetensors}. */
export interface ParseSafetensorsOptions {
  /** Label for error messages (the file path). Default `"<bytes>"`. */
  readonly source?: string;
  /** Largest accepted header in bytes. Default 100 MB, the reference readers' cap. */
  readonly maxHeaderBytes?: number;
}

const DEFAULT_MAX_HEADER = 100_000_000;
const FLOAT_DTYPES: readonly SafetensorsDtype[] = [
  'F32',
  'F16',
  'BF16',
  'F64',
  'I64',
  'I32',
  'I16',
  'I8',
  'U8',
  'U16',
  'U32',
  'U64',
  'BOOL',
];

function isDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.hasOwn(SAFETENSORS_DTYPE_SIZES, value);
}

/**
 * The keys of the top-level JSON object in order, duplicates included (`JSON.parse` keeps only
 * the last of duplicate keys, which would hide a corrupt header). Assumes `text` is valid JSON.
 */
function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) {
        keys.push(JSON.parse(text.slice(i, j + 1)) as string);
        expectKey = false;
      }
      i = j;
    } else if (ch === '{' || ch === '[') {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (ch === '}' || ch === ']') {
      depth--;
    } else if (ch === ',' && depth === 1) {
      expectKey = true;
    }
  }
  return keys;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Parse safetensors bytes: an unsigned 64-bit little-endian header length N, N bytes of UTF-8
 * JSON (`name → {dtype, shape, data_offsets: [begin, end]}` plus an optional `__metadata__`
 * string map), then the tensor data. Offsets are relative to byte 8 + N.
 *
 * Checks, as the Rust reference does: N ≤ file size − 8 and ≤ `maxHeaderBytes`; the header is a
 * JSON object without duplicate names; every dtype is known; shapes are non-negative integers;
 * `end − begin = product(shape) × size(dtype)`; the tensors tile the data section exactly (no
 * overlap, no gap, nothing left over). 0-d and empty tensors are allowed. The returned tensors
 * view `bytes` (no copy).
 *
 * Relations: {@link readSafetensors} reads a file and calls this; {@link tensorToFloat32}
 * converts one tensor; {@link serializeSafetensors} is the inverse.
 *
 * @param bytes - The whole file.
 * @throws {@link SafetensorsCorruptError} naming the source and, where it applies, the tensor.
 * @example
 * ```ts
 * const file = parseSafetensors(await readFile('model.safetensors'), { source: 'model.safetensors' });
 * file.tensors.get('embeddings.word_embeddings.weight')?.shape; // [30522, 384]
 * ```
 */
export function parseSafetensors(
  bytes: Uint8Array,
  options: ParseSafetensorsOptions = {},
): SafetensorsFile {
  const source = options.source ?? '<bytes>';
  const maxHeader = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER;
  const corrupt = (detail: string, tensor?: string): SafetensorsCorruptError =>
    new SafetensorsCorruptError(source, tensor, detail);
  if (bytes.byteLength < 8) {
    throw corrupt(`the file has ${bytes.byteLength} bytes, fewer than the 8-byte header length.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.byteLength - 8)) {
    throw corrupt(
      `header length ${headerLength} exceeds the ${bytes.byteLength - 8} bytes after the length field.`,
    );
  }
  if (headerLength > BigInt(maxHeader)) {
    throw corrupt(`header length ${headerLength} exceeds the ${maxHeader}-byte limit.`);
  }
  const n = Number(headerLength);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch (error) {
    throw new SafetensorsCorruptError(source, undefined, 'the header is not valid UTF-8.', {
      cause: error,
    });
  }
  if (!text.startsWith('{')) {
    throw corrupt(`the header must start with "{", found ${JSON.stringify(text.slice(0, 20))}.`);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    throw new SafetensorsCorruptError(
      source,
      undefined,
      `the header is not valid JSON (${String(error)}).`,
      {
        cause: error,
      },
    );
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw corrupt('the header is not a JSON object.');
  }
  // Iterate in the header's text order (object key order would move integer-like names first).
  const keys = topLevelKeys(text);
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) throw corrupt('the name occurs twice in the header.', key);
    seen.add(key);
  }
  const dataStart = 8 + n;
  const dataLength = bytes.byteLength - dataStart;
  const record = header as Record<string, unknown>;
  let metadata: Record<string, string> | undefined;
  const tensors = new Map<string, SafetensorsTensor>();
  const spans: { name: string; begin: number; end: number }[] = [];
  for (const name of keys) {
    const raw = record[name];
    if (name === '__metadata__') {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
        throw corrupt('__metadata__ must be an object of strings.');
      }
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string')
          throw corrupt(`__metadata__.${k} must be a string, found ${typeof v}.`);
      }
      metadata = raw as Record<string, string>;
      continue;
    }
    if (typeof raw !== 'object' || raw === null) throw corrupt('the entry is not an object.', name);
    const entry = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (!isDtype(entry.dtype)) {
      throw corrupt(
        `unknown dtype ${JSON.stringify(entry.dtype)}; expected one of ${Object.keys(SAFETENSORS_DTYPE_SIZES).join(', ')}.`,
        name,
      );
    }
    if (!Array.isArray(entry.shape) || !entry.shape.every(isCount)) {
      throw corrupt(
        `shape must be an array of non-negative integers, found ${JSON.stringify(entry.shape)}.`,
        name,
      );
    }
    const offsets = entry.data_offsets;
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !isCount(offsets[0]) ||
      !isCount(offsets[1])
    ) {
      throw corrupt(
        `data_offsets must be [begin, end] integers, found ${JSON.stringify(offsets)}.`,
        name,
      );
    }
    const [begin, end] = offsets as [number, number];
    const shape = entry.shape;
    const elements = shape.reduce((a, b) => a * b, 1);
    const expected = elements * SAFETENSORS_DTYPE_SIZES[entry.dtype];
    if (end < begin || end > dataLength) {
      throw corrupt(
        `data_offsets [${begin}, ${end}] fall outside the ${dataLength}-byte data section.`,
        name,
      );
    }
    if (end - begin !== expected) {
      throw corrupt(
        `data_offsets span ${end - begin} bytes but shape [${shape.join(', ')}] of ${entry.dtype} needs ${expected}.`,
        name,
      );
    }
    spans.push({ name, begin, end });
    tensors.set(name, {
      name,
      dtype: entry.dtype,
      shape,
      bytes: bytes.subarray(dataStart + begin, dataStart + end),
    });
  }
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const span of spans) {
    if (span.begin !== cursor) {
      throw corrupt(
        span.begin < cursor
          ? `data_offsets [${span.begin}, ${span.end}] overlap the previous tensor (ends at ${cursor}).`
          : `bytes ${cursor}..${span.begin} before this tensor belong to no tensor.`,
        span.name,
      );
    }
    cursor = span.end;
  }
  if (cursor !== dataLength) {
    throw corrupt(
      `the tensors cover ${cursor} of the ${dataLength} data bytes; the file has trailing bytes or is truncated.`,
    );
  }
  return { tensors, metadata };
}

/**
 * Read and parse a safetensors file. See {@link parseSafetensors} for the checks.
 *
 * @param path - File path; named in every error.
 * @throws {@link SafetensorsCorruptError} for a malformed file; Node's error (wrapped in the
 *   cause) when the file cannot be read.
 * @example
 * ```ts
 * const { tensors } = await readSafetensors('tiny-bert/model.safetensors');
 * tensors.size; // 39
 * ```
 */
export async function readSafetensors(
  path: string,
  options: Omit<ParseSafetensorsOptions, 'source'> = {},
): Promise<SafetensorsFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new SafetensorsCorruptError(
      path,
      undefined,
      `the file cannot be read (${String(error)}).`,
      { cause: error },
    );
  }
  return parseSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    ...options,
    source: path,
  });
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/**
 * Convert one tensor to a new `Float32Array` (row-major): F32 copied, F16 and BF16 widened
 * exactly, F64 and integer/bool types rounded to the nearest float32. 8-bit float types are
 * rejected.
 *
 * @param tensor - A tensor from {@link parseSafetensors}.
 * @param source - File label for errors.
 * @throws {@link SafetensorsDtypeError} for F8_E4M3 / F8_E5M2.
 * @example
 * ```ts
 * tensorToFloat32({ name: 'b', dtype: 'F16', shape: [1], bytes: new Uint8Array([0x00, 0x3c]) }); // Float32Array [1]
 * ```
 */
export function tensorToFloat32(tensor: SafetensorsTensor, source = '<bytes>'): Float32Array {
  const { bytes, dtype } = tensor;
  const count = bytes.byteLength / SAFETENSORS_DTYPE_SIZES[dtype];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  switch (dtype) {
    case 'F32':
      if (LITTLE_ENDIAN) {
        new Uint8Array(out.buffer).set(bytes);
      } else {
        for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
      }
      return out;
    case 'F16':
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
      return out;
    case 'BF16': {
      const bits = new Uint32Array(out.buffer);
      // bfloat16 is the top half of a float32: shift its bits up (native-endian view of `out`).
      for (let i = 0; i < count; i++) bits[i] = view.getUint16(i * 2, true) << 16;
      return out;
    }
    case 'F64':
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8, true);
      return out;
    case 'I64':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(i * 8, true));
      return out;
    case 'U64':
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigUint64(i * 8, true));
      return out;
    case 'I32':
      for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4, true);
      return out;
    case 'U32':
      for (let i = 0; i < count; i++) out[i] = view.getUint32(i * 4, true);
      return out;
    case 'I16':
      for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2, true);
      return out;
    case 'U16':
      for (let i = 0; i < count; i++) out[i] = view.getUint16(i * 2, true);
      return out;
    case 'I8':
      for (let i = 0; i < count; i++) out[i] = view.getInt8(i);
      return out;
    case 'U8':
    case 'BOOL':
      for (let i = 0; i < count; i++) out[i] = view.getUint8(i);
      return out;
    default:
      throw new SafetensorsDtypeError(source, tensor.name, dtype, FLOAT_DTYPES);
  }
}

/**
 * A float32 tensor for {@link serializeSafetensors}, its data copied into little-endian bytes.
 *
 * @throws {@link SafetensorsWriteError} when `data.length` is not the product of `shape`.
 * @example
 * ```ts
 * float32Tensor('pooler.dense.bias', [2], new Float32Array([0.5, -1])); // { dtype: 'F32', bytes: 8 bytes, ... }
 * ```
 */
export function float32Tensor(
  name: string,
  shape: readonly number[],
  data: Float32Array,
): SafetensorsTensor {
  const elements = shape.reduce((a, b) => a * b, 1);
  if (data.length !== elements) {
    throw new SafetensorsWriteError(
      name,
      `shape [${shape.join(', ')}] holds ${elements} values, data has ${data.length}.`,
    );
  }
  const bytes = new Uint8Array(data.length * 4);
  if (LITTLE_ENDIAN) {
    bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  } else {
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i] ?? 0, true);
  }
  return { name, dtype: 'F32', shape: [...shape], bytes };
}

/**
 * Serialize tensors to safetensors bytes, in the order given, with the header right-padded with
 * spaces to a multiple of 8 bytes (as the Python writer does) so the data section stays aligned.
 *
 * @param tensors - Tensors with unique, non-empty names; `__metadata__` is reserved.
 * @param metadata - Optional string map stored as `__metadata__` (e.g. `{ format: 'pt' }`).
 * @throws {@link SafetensorsWriteError} for duplicate/empty names, unknown dtypes, byte lengths
 *   that do not match the shape.
 * @example
 * ```ts
 * const bytes = serializeSafetensors([float32Tensor('w', [2], new Float32Array([1, 2]))], { format: 'pt' });
 * parseSafetensors(bytes).tensors.get('w')?.shape; // [2]
 * ```
 */
export function serializeSafetensors(
  tensors: Iterable<SafetensorsTensor>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  // Built as [key, value] pairs and joined by hand: a JS object would reorder integer-like names.
  const header: string[] = [];
  const names = new Set<string>();
  const list: SafetensorsTensor[] = [];
  let offset = 0;
  if (metadata !== undefined) header.push(`"__metadata__":${JSON.stringify({ ...metadata })}`);
  for (const tensor of tensors) {
    const { name, dtype, shape, bytes } = tensor;
    if (name === '' || name === '__metadata__')
      throw new SafetensorsWriteError(name, 'the name is empty or reserved.');
    if (names.has(name)) throw new SafetensorsWriteError(name, 'the name occurs twice.');
    names.add(name);
    if (!isDtype(dtype))
      throw new SafetensorsWriteError(name, `unknown dtype ${JSON.stringify(dtype)}.`);
    if (!shape.every(isCount))
      throw new SafetensorsWriteError(name, `invalid shape ${JSON.stringify(shape)}.`);
    const expected = shape.reduce((a, b) => a * b, 1) * SAFETENSORS_DTYPE_SIZES[dtype];
    if (bytes.byteLength !== expected) {
      throw new SafetensorsWriteError(
        name,
        `shape [${shape.join(', ')}] of ${dtype} needs ${expected} bytes, received ${bytes.byteLength}.`,
      );
    }
    header.push(
      `${JSON.stringify(name)}:${JSON.stringify({ dtype, shape: [...shape], data_offsets: [offset, offset + expected] })}`,
    );
    offset += expected;
    list.push(tensor);
  }
  let headerBytes = new TextEncoder().encode(`{${header.join(',')}}`);
  const padded = Math.ceil(headerBytes.byteLength / 8) * 8;
  if (padded !== headerBytes.byteLength) {
    const withPad = new Uint8Array(padded).fill(0x20);
    withPad.set(headerBytes);
    headerBytes = withPad;
  }
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let cursor = 8 + headerBytes.byteLength;
  for (const tensor of list) {
    out.set(tensor.bytes, cursor);
    cursor += tensor.bytes.byteLength;
  }
  return out;
}

/**
 * Write tensors to a safetensors file atomically (`writeFileAtomic` of `@rtk/files`: a temporary
 * file beside the target, renamed over it), so readers never see a half-written file.
 *
 * @throws {@link SafetensorsWriteError} as {@link serializeSafetensors}; Node's error when the
 *   folder is not writable.
 * @example
 * ```ts
 * await writeSafetensors('out/model.safetensors', [float32Tensor('w', [1], new Float32Array([3]))]);
 * ```
 */
export async function writeSafetensors(
  path: string,
  tensors: Iterable<SafetensorsTensor>,
  metadata?: Readonly<Record<string, string>>,
): Promise<void> {
  await writeFileAtomic(path, serializeSafetensors(tensors, metadata));
}
