import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import {
  float32Tensor,
  parseSafetensors,
  readSafetensors,
  serializeSafetensors,
  tensorToFloat32,
  writeSafetensors,
  type SafetensorsTensor,
} from './safetensors.js';
import { SafetensorsCorruptError, SafetensorsDtypeError, SafetensorsWriteError } from './errors.js';
import { fileURLToPath } from 'node:url';

/** The tiny BERT weights PyTorch wrote (fixtures/README.md). */
const TINY_BERT_DIR = fileURLToPath(new URL('../fixtures/tiny-bert', import.meta.url));

/** Build a file from a header object and a data section, the way a (possibly buggy) writer would. */
function rawFile(
  header: string,
  data: Uint8Array = new Uint8Array(0),
  declaredLength?: bigint,
): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.byteLength + data.byteLength);
  new DataView(out.buffer).setBigUint64(0, declaredLength ?? BigInt(h.byteLength), true);
  out.set(h, 8);
  out.set(data, 8 + h.byteLength);
  return out;
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('parseSafetensors', () => {
  it('reads the PyTorch-written tiny-bert weights with the HF names and shapes', async () => {
    const { tensors, metadata } = await readSafetensors(join(TINY_BERT_DIR, 'model.safetensors'));
    // 5 embedding tensors + 16 per layer × 2 layers + pooler weight and bias (make_bert_fixture.py).
    expect(tensors.size).toBe(39);
    expect(metadata).toEqual({ format: 'pt' });
    expect(tensors.get('embeddings.word_embeddings.weight')?.shape).toEqual([263, 32]);
    expect(tensors.get('encoder.layer.1.intermediate.dense.weight')?.shape).toEqual([64, 32]);
    expect(tensors.get('encoder.layer.1.intermediate.dense.weight')?.dtype).toBe('F32');
  });

  // Hand-computed IEEE encodings: F16 0x3c00 = 1, 0xc000 = −2, 0x7bff = 65504 (largest half),
  // 0x0001 = 2^−24 (smallest subnormal); BF16 0x3f80 = 1, 0xc040 = −3; F64/I64/I32/I8/U8/BOOL exact.
  it.each([
    ['F16', [0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00], [1, -2, 65504, 2 ** -24]],
    ['BF16', [0x80, 0x3f, 0x40, 0xc0], [1, -3]],
    ['F64', [...new Uint8Array(new Float64Array([0.5, -1.25]).buffer)], [0.5, -1.25]],
    ['I64', [...new Uint8Array(new BigInt64Array([-7n, 3n]).buffer)], [-7, 3]],
    ['I32', [...new Uint8Array(new Int32Array([-2, 9]).buffer)], [-2, 9]],
    ['I8', [0xff, 0x05], [-1, 5]],
    ['U8', [0xff, 0x05], [255, 5]],
    ['BOOL', [0x01, 0x00], [1, 0]],
  ] as const)('converts %s to float32', (dtype, bytes, expected) => {
    const size = { F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4, I8: 1, U8: 1, BOOL: 1 }[dtype];
    const n = bytes.length / size;
    const file = parseSafetensors(
      rawFile(
        JSON.stringify({ t: { dtype, shape: [n], data_offsets: [0, bytes.length] } }),
        new Uint8Array(bytes),
      ),
    );
    expect([...tensorToFloat32(file.tensors.get('t')!)]).toEqual(expected);
  });

  it('rejects 8-bit float tensors for float32 conversion, naming file and tensor', () => {
    const file = parseSafetensors(
      rawFile('{"q":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}', new Uint8Array(1)),
    );
    const error = catchError(() => tensorToFloat32(file.tensors.get('q')!, 'w.safetensors'));
    expect(error).toBeInstanceOf(SafetensorsDtypeError);
    expect(error).toMatchObject({
      code: 'ERR_SAFETENSORS_UNSUPPORTED_DTYPE',
      source: 'w.safetensors',
      tensor: 'q',
    });
  });

  it('accepts scalars, empty tensors and a space-padded header', () => {
    const header =
      '{"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"e":{"dtype":"F32","shape":[0,3],"data_offsets":[4,4]}}   ';
    const file = parseSafetensors(rawFile(header, new Uint8Array(new Float32Array([2.5]).buffer)));
    expect([...tensorToFloat32(file.tensors.get('s')!)]).toEqual([2.5]);
    expect(file.tensors.get('e')?.shape).toEqual([0, 3]);
    expect(tensorToFloat32(file.tensors.get('e')!)).toHaveLength(0);
  });

  const four = new Uint8Array(4);
  // Each row: a corrupt file, and the tensor the error must name (undefined: a file-level error).
  it.each([
    ['fewer than 8 bytes', new Uint8Array(5), undefined],
    ['header length past the end', rawFile('{}', new Uint8Array(0), 1000n), undefined],
    ['header length of 2^64 − 1', rawFile('{}', new Uint8Array(0), 2n ** 64n - 1n), undefined],
    ['header not JSON', rawFile('{"a": '), undefined],
    ['header a JSON array', rawFile('[1, 2]'), undefined],
    [
      'duplicate names',
      rawFile(
        '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
        four,
      ),
      'w',
    ],
    [
      'unknown dtype',
      rawFile('{"w":{"dtype":"F128","shape":[1],"data_offsets":[0,4]}}', four),
      'w',
    ],
    [
      'negative dimension',
      rawFile('{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', four),
      'w',
    ],
    [
      'span not matching the shape',
      rawFile('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', four),
      'w',
    ],
    [
      'offsets past the data',
      rawFile('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', four),
      'w',
    ],
    [
      'overlapping tensors',
      rawFile(
        '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}',
        four,
      ),
      'b',
    ],
    [
      'a gap before a tensor',
      rawFile('{"a":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}', four),
      'a',
    ],
    [
      'trailing bytes',
      rawFile('{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}', four),
      undefined,
    ],
    ['non-string metadata', rawFile('{"__metadata__":{"format":1}}'), undefined],
  ])('rejects %s with a typed error naming the file and tensor', (_label, bytes, tensor) => {
    const error = catchError(() => parseSafetensors(bytes, { source: 'bad.safetensors' }));
    expect(error).toBeInstanceOf(SafetensorsCorruptError);
    expect(error).toMatchObject({
      code: 'ERR_SAFETENSORS_CORRUPT',
      source: 'bad.safetensors',
      tensor,
    });
    expect((error as Error).message).toContain('bad.safetensors');
  });

  it('rejects a truncated copy of the fixture, naming the path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'st-'));
    try {
      const path = join(dir, 'cut.safetensors');
      const whole = await readFile(join(TINY_BERT_DIR, 'model.safetensors'));
      await writeFile(path, whole.subarray(0, whole.byteLength - 100));
      await expect(readSafetensors(path)).rejects.toMatchObject({
        code: 'ERR_SAFETENSORS_CORRUPT',
        source: path,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

const tensorArb = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }).chain((shape) =>
  fc.record({
    shape: fc.constant(shape),
    data: fc.float32Array({
      minLength: shape.reduce((a, b) => a * b, 1),
      maxLength: shape.reduce((a, b) => a * b, 1),
      noNaN: true,
    }),
  }),
);

const badLength: SafetensorsTensor = {
  name: 'w',
  dtype: 'F32',
  shape: [2],
  bytes: new Uint8Array(4),
};

describe('serializeSafetensors', () => {
  test.prop([
    fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), tensorArb), {
      selector: ([n]) => n,
      maxLength: 6,
    }),
  ])('round-trips names, order, shapes and float32 bits through parseSafetensors', (entries) => {
    const named = entries.filter(([name]) => name !== '__metadata__');
    const bytes = serializeSafetensors(
      named.map(([name, t]) => float32Tensor(name, t.shape, t.data)),
      { format: 'pt' },
    );
    expect((bytes.byteLength - 8) % 4).toBe(0);
    const file = parseSafetensors(bytes);
    expect([...file.tensors.keys()]).toEqual(named.map(([name]) => name));
    expect(file.metadata).toEqual({ format: 'pt' });
    for (const [name, t] of named) {
      const back = file.tensors.get(name)!;
      expect(back.shape).toEqual(t.shape);
      expect(new Uint32Array(tensorToFloat32(back).buffer)).toEqual(
        new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length),
      );
    }
  });

  it.each([
    [
      'a duplicate name',
      [float32Tensor('w', [1], new Float32Array(1)), float32Tensor('w', [1], new Float32Array(1))],
    ],
    ['a byte length not matching the shape', [badLength]],
    ['the reserved name', [float32Tensor('__metadata__', [1], new Float32Array(1))]],
  ])('rejects %s', (_label, tensors) => {
    expect(() => serializeSafetensors(tensors)).toThrow(SafetensorsWriteError);
  });

  it('float32Tensor rejects data that does not fill the shape', () => {
    expect(() => float32Tensor('w', [2, 2], new Float32Array(3))).toThrow(SafetensorsWriteError);
  });
});

describe('writeSafetensors', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('writes a file that reads back, leaving no temporary file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'st-'));
    dirs.push(dir);
    const path = join(dir, 'model.safetensors');
    await writeSafetensors(path, [float32Tensor('a.weight', [2, 1], new Float32Array([1, -1]))]);
    const file = await readSafetensors(path);
    expect([...tensorToFloat32(file.tensors.get('a.weight')!)]).toEqual([1, -1]);
    expect(await readdir(dir)).toEqual(['model.safetensors']);
  });
});
