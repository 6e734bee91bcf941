export type { FilesErrorCode } from './errors.js';
export {
  FilesError,
  InvalidUtf8Error,
  FileReadError,
  FileWriteError,
  NotWritableError,
} from './errors.js';
export { writeFileAtomic } from './write-file-atomic.js';
export { writeFolderAtomic } from './write-folder-atomic.js';
export { readTextFile, decodeUtf8Strict, firstInvalidUtf8Offset } from './read-text-file.js';
export type { EnsureWritableDirOptions } from './ensure-writable-dir.js';
export { ensureWritableDir } from './ensure-writable-dir.js';
