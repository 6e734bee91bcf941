import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** Hidden names beside the target: `.<name>.<tag>.tmp` while writing, `.<name>.<tag>.trash` for the replaced folder. */
function sibling(target: string, tag: string, kind: 'tmp' | 'trash'): string {
  return join(dirname(target), `.${basename(target)}.${tag}.${kind}`);
}

/**
 * Writes a folder whole or not at all: `fill(dir)` writes the files into a new temporary folder
 * beside `target` (`.<name>.<random>.tmp`, on the same file system), which is then renamed to
 * `target`. A folder already at `target` is replaced: it is renamed aside (`.<name>.<random>.trash`),
 * the new one renamed in, and the old one removed. Readers see the old folder or the new one,
 * never a part of either. The parent folders are created.
 *
 * If `fill` or a rename fails, the temporary folder is removed, `target` is left as it was, and
 * the error is thrown as it came (callers wrap it in their own error naming what they wrote).
 * A process killed during the write leaves only hidden `.tmp`/`.trash` folders beside `target`;
 * killed between the two renames of a replacement, it leaves the old folder under its `.trash`
 * name and no `target` (Node has no atomic exchange of two folders).
 *
 * @returns The absolute path of `target`.
 * @example
 * ```ts
 * import { writeFolderAtomic } from '@rtk/files';
 * import { writeFile } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const dir = await writeFolderAtomic(join(tmpdir(), 'rtk-example-model'), async (temp) => {
 *   await writeFile(join(temp, 'config.json'), '{}\n');
 * });
 * console.log(dir.endsWith('rtk-example-model'));
 * ```
 *
 * ```text
 * true
 * ```
 */
export async function writeFolderAtomic(
  target: string,
  fill: (dir: string) => Promise<void>,
): Promise<string> {
  const path = resolve(target);
  const tag = randomBytes(6).toString('hex');
  const temp = sibling(path, tag, 'tmp');
  try {
    await mkdir(temp, { recursive: true });
    await fill(temp);
    const present = await stat(path).then(
      () => true,
      () => false,
    );
    if (present) {
      const old = sibling(path, tag, 'trash');
      await rename(path, old);
      await rename(temp, path);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(temp, path);
    }
  } catch (error) {
    // The temporary folder may not exist (its parent is a file, say): nothing to remove then.
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
  return path;
}
