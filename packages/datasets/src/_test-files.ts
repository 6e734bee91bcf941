import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Write files into a fresh temp folder; returns the folder. */
export async function tempFiles(
  files: Readonly<Record<string, string | Uint8Array | ArrayBuffer>>,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rtk-datasets-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(
      join(dir, path),
      content instanceof ArrayBuffer ? new Uint8Array(content) : content,
    );
  }
  return dir;
}

/** What `promise` rejected with; throws if it resolved. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}
