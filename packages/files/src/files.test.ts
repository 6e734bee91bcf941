import { chmod, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FileReadError,
  FileWriteError,
  InvalidUtf8Error,
  NotWritableError,
  decodeUtf8Strict,
  ensureWritableDir,
  firstInvalidUtf8Offset,
  readTextFile,
  writeFileAtomic,
  writeFolderAtomic,
} from './index.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rtk-files-'));
});

describe('writeFileAtomic', () => {
  it('writes text and bytes, replaces the old file, leaves no temporary file', async () => {
    const path = join(root, 'out.json');
    await writeFileAtomic(path, 'old');
    await writeFileAtomic(path, 'new ✓');
    expect(await readFile(path, 'utf8')).toBe('new ✓');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...(await readFile(path))]).toEqual([1, 2, 3]);
    expect((await readdir(root)).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('fails in a missing folder naming the folder, not its temporary file', async () => {
    const target = join(root, 'missing', 'x');
    const error = await writeFileAtomic(target, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileWriteError);
    expect(error).toMatchObject({ code: 'ERR_FILES_WRITE', path: target, systemCode: 'ENOENT' });
    expect((error as Error).message).toBe(
      `${target}: cannot write: the folder ${join(root, 'missing')} does not exist (ENOENT); create it first`,
    );
    expect((error as Error).message).not.toContain('.tmp');
    expect(await readdir(root)).not.toContain('missing');
  });

  it.each([
    ['a folder as the target', 'sub', 'EISDIR', 'it is a folder (EISDIR); name a file'],
    ['a plain file as its folder', 'plain.txt/x', 'ENOTDIR', 'is a file, not a folder (ENOTDIR)'],
  ])('names the path for %s', async (_, relative, systemCode, problem) => {
    const dir = await mkdtemp(join(root, 'w-'));
    await writeFile(join(dir, 'plain.txt'), '');
    await mkdir(join(dir, 'sub'));
    const path = join(dir, ...relative.split('/'));
    const error = await writeFileAtomic(path, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileWriteError);
    expect(error).toMatchObject({ code: 'ERR_FILES_WRITE', path, systemCode });
    expect((error as Error).message.slice(0, path.length + 15)).toBe(`${path}: cannot write:`);
    expect((error as Error).message).toContain(problem);
    expect((await readdir(dir)).sort()).toEqual(['plain.txt', 'sub']);
    expect(await readdir(join(dir, 'sub'))).toEqual([]);
  });
});

describe('writeFolderAtomic', () => {
  const hidden = async (dir: string) => (await readdir(dir)).filter((f) => f.startsWith('.'));

  it('writes a new folder (parents created) and replaces an old one whole', async () => {
    const parent = join(await mkdtemp(join(root, 'f-')), 'a', 'b');
    const target = join(parent, 'model');
    expect(
      await writeFolderAtomic(target, async (d) => {
        await writeFile(join(d, 'old.txt'), 'old');
      }),
    ).toBe(target);
    await writeFolderAtomic(target, async (d) => {
      // Written beside the target, not inside it, while the old folder is still whole.
      expect(d.startsWith(join(parent, '.model.'))).toBe(true);
      expect(await readdir(target)).toEqual(['old.txt']);
      await mkdir(join(d, 'onnx'));
      await writeFile(join(d, 'onnx', 'model.onnx'), 'graph');
    });
    expect(await readdir(target)).toEqual(['onnx']);
    expect(await readFile(join(target, 'onnx', 'model.onnx'), 'utf8')).toBe('graph');
    expect(await hidden(parent)).toEqual([]);
  });

  it('leaves the old folder untouched and no temporary folder when filling fails', async () => {
    const parent = await mkdtemp(join(root, 'f-'));
    const target = join(parent, 'model');
    await writeFolderAtomic(target, (d) => writeFile(join(d, 'keep.txt'), 'keep'));
    const planted = new Error('disk full (planted)');
    const error = await writeFolderAtomic(target, async (d) => {
      await writeFile(join(d, 'half.txt'), 'half');
      throw planted;
    }).catch((e: unknown) => e);
    expect(error).toBe(planted);
    expect(await readdir(target)).toEqual(['keep.txt']);
    expect(await readFile(join(target, 'keep.txt'), 'utf8')).toBe('keep');
    expect(await hidden(parent)).toEqual([]);
  });

  it('throws the system error when the parent is a plain file, leaving nothing behind', async () => {
    const parent = await mkdtemp(join(root, 'f-'));
    await writeFile(join(parent, 'plain'), '');
    const error = await writeFolderAtomic(join(parent, 'plain', 'model'), () =>
      Promise.resolve(),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ENOTDIR' });
    expect(await readdir(parent)).toEqual(['plain']);
  });
});

describe('strict UTF-8', () => {
  it('decodes valid text and drops a BOM', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('é\n𝄞')]);
    expect(decodeUtf8Strict(bytes, 'f')).toBe('é\n𝄞');
  });

  it.each([
    ['a lone continuation byte', [0x61, 0x0a, 0x62, 0x80], 2, 3],
    ['a truncated sequence at the end', [0x61, 0xe2, 0x82], 1, 1],
    ['an overlong encoding', [0x0a, 0x0a, 0xc0, 0xaf], 3, 2],
    ['an encoded surrogate', [0xed, 0xa0, 0x80], 1, 0],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 1, 0],
    ['latin-1 é', [0x63, 0x61, 0x66, 0xe9, 0x0a], 1, 3],
  ])('rejects %s with line and byte offset', (_, bytes, line, offset) => {
    const data = new Uint8Array(bytes);
    expect(firstInvalidUtf8Offset(data)).toBe(offset);
    let thrown: unknown;
    try {
      decodeUtf8Strict(data, 'pairs.jsonl');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidUtf8Error);
    expect(thrown).toMatchObject({ code: 'ERR_FILES_INVALID_UTF8', line, byteOffset: offset });
    expect((thrown as Error).message).toContain(`pairs.jsonl:${line}:`);
  });

  it('agrees with the fatal decoder on every 1–2 byte input', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    const disagree: number[][] = [];
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b += 1) {
        const data = new Uint8Array([a, b]);
        let ok = true;
        try {
          fatal.decode(data);
        } catch {
          ok = false;
        }
        if ((firstInvalidUtf8Offset(data) === 2) !== ok) disagree.push([a, b]);
      }
    }
    expect(disagree).toEqual([]);
  });

  it('readTextFile names the path for a missing file and a directory', async () => {
    await expect(readTextFile(join(root, 'nope.txt'))).rejects.toMatchObject({
      code: 'ERR_FILES_READ',
      systemCode: 'ENOENT',
    });
    const error = await readTextFile(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileReadError);
    expect((error as Error).message).toBe(`${root}: is a directory, expected a file`);
    const bad = join(root, 'bad.txt');
    await writeFile(bad, new Uint8Array([0x61, 0xff]));
    await expect(readTextFile(bad)).rejects.toBeInstanceOf(InvalidUtf8Error);
  });
});

describe('ensureWritableDir', () => {
  it('creates missing folders and returns the absolute path', async () => {
    const dir = join(root, 'a', 'b', 'c');
    expect(await ensureWritableDir(dir)).toBe(dir);
    expect(await readdir(dir)).toEqual([]);
  });

  it('rejects a file, a folder under /proc and a read-only folder, at once', async () => {
    const file = join(root, 'plain-file');
    await writeFile(file, '');
    await expect(ensureWritableDir(file)).rejects.toBeInstanceOf(NotWritableError);
    await expect(ensureWritableDir(join(file, 'sub'))).rejects.toMatchObject({
      code: 'ERR_FILES_NOT_WRITABLE',
    });
    await expect(ensureWritableDir('/proc/rtk-x/y', { timeoutMs: 5000 })).rejects.toMatchObject({
      code: 'ERR_FILES_NOT_WRITABLE',
    });
  });

  // root may write anywhere, so the permission check only bites for other users.
  it.skipIf(process.getuid?.() === 0)('rejects a folder without write permission', async () => {
    const ro = join(root, 'ro');
    await mkdir(ro);
    await chmod(ro, 0o500);
    await expect(ensureWritableDir(ro)).rejects.toMatchObject({ reason: 'permission denied' });
  });
});
