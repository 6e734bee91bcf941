import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temp folder with the given files, for the loopback hub to serve. */
export async function repoFolder(
  files: Readonly<Record<string, string | Uint8Array>>,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rtk-hub-repo-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

export function tempCache(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'rtk-hub-cache-'));
}

/** Deterministic bytes, so a spliced or truncated download cannot compare equal by accident. */
export function bytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + (i >> 8) * 7) & 0xff;
  return out;
}
