import { randomUUID } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `data` to `path` atomically: into a temporary file in the same folder (same file system,
 * so the rename is atomic), then renamed over `path`. Readers never see a half-written file and
 * a crash leaves the old one intact; on failure the temporary file is removed. The folder must
 * exist.
 *
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
    await rm(temp, { force: true });
    throw error;
  }
}
