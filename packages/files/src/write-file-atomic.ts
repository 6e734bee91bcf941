import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { FileWriteError } from './errors.js';

/** What a failed write's system code means for `path`, in words naming the part at fault. */
function writeProblem(path: string, code: string | undefined, error: unknown): string {
  const folder = dirname(path);
  switch (code) {
    case 'ENOENT':
      return `the folder ${folder} does not exist (ENOENT); create it first`;
    case 'ENOTDIR':
      return `a part of the folder ${folder} is a file, not a folder (ENOTDIR)`;
    case 'EISDIR':
      return 'it is a folder (EISDIR); name a file';
    case 'EACCES':
    case 'EPERM':
      return `permission denied in ${folder} (${code})`;
    case 'EROFS':
      return `${folder} is on a read-only file system (EROFS)`;
    default:
      return code === undefined ? String(error) : `${(error as Error).message}`;
  }
}

/**
 * Writes `data` to `path` atomically: into a temporary file in the same folder (same file system,
 * so the rename is atomic), then renamed over `path`. Readers never see a half-written file and
 * a crash leaves the old one intact; on failure the temporary file is removed. The folder must
 * exist.
 *
 * @throws {@link FileWriteError} naming `path` (and its folder when that is at fault: missing,
 *   not a folder, read-only, permission denied), or the path being a folder; never the name of
 *   the temporary file.
 * @example
 * ```ts
 * import { writeFileAtomic } from '@rtk/files';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * await writeFileAtomic(join(tmpdir(), 'results.json'), JSON.stringify({ mrr: 0.5 }));
 * ```
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, data, typeof data === 'string' ? 'utf8' : undefined);
    await rename(temp, path);
  } catch (error) {
    // The temporary file may not exist, or its folder not be one (ENOTDIR): nothing to remove.
    await rm(temp, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException | null)?.code;
    throw new FileWriteError(path, writeProblem(path, code, error), code, { cause: error });
  }
}
