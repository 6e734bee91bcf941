import { snapshotDir } from './_cache.js';
import { downloadOne } from './_download.js';
import { checkPath, checkRepo, resolveHubOptions } from './_options.js';
import { HubArgumentError } from './errors.js';
import type { HubOptions, HubRepo } from './types.js';

/**
 * Download several files of one repository snapshot and return the local folder holding them
 * (`…/snapshots/{commit}`), laid out as in the repo: `join(folder, 'onnx/model.onnx')`.
 *
 * Files are fetched one after the other with {@link downloadHubFile}'s caching, atomic writes and
 * resume. The first file fixes the commit; when the server reports one (`X-Repo-Commit`), the others
 * are requested at that commit, so a branch moving mid-way cannot mix two versions in one folder.
 * `options.onProgress` reports bytes of the file currently downloading (it restarts per file).
 *
 * @throws everything {@link downloadHubFile} throws; {@link HubArgumentError} when `paths` is empty.
 * @example
 * ```ts
 * const dir = await downloadHubFiles({ repo: 'Xenova/e5-small-v2' }, ['config.json', 'tokenizer.json', 'onnx/model.onnx']);
 * // → '/home/me/.cache/huggingface/hub/models--Xenova--e5-small-v2/snapshots/<commit>'
 * ```
 */
export async function downloadHubFiles(
  ref: HubRepo,
  paths: readonly string[],
  options?: HubOptions,
): Promise<string> {
  let repo = checkRepo(ref);
  if (!Array.isArray(paths) || paths.length === 0) {
    throw new HubArgumentError(
      `downloadHubFiles(${repo.repo}): paths must be a non-empty array of file paths, received ${JSON.stringify(paths)}.`,
    );
  }
  const checked = paths.map((p, i) => checkPath(p, `paths[${i}]`));
  const resolved = resolveHubOptions(options);
  let commit: string | undefined;
  for (const path of checked) {
    const got = await downloadOne(repo, path, resolved);
    if (commit === undefined) {
      commit = got.commit;
      if (/^[0-9a-f]{40}$/.test(commit)) repo = { ...repo, revision: commit };
    }
  }
  return snapshotDir(resolved.cacheDir, repo, commit as string);
}
