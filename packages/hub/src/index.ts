export type * from './types.js';
export { hubFileUrl } from './hub-file-url.js';
export { downloadHubFile } from './download-hub-file.js';
export { downloadHubFiles } from './download-hub-files.js';
export { listHubFiles } from './list-hub-files.js';
export { redactSecrets } from './redact.js';
export type { HubErrorCode } from './errors.js';
export {
  HubError,
  HubNotFoundError,
  HubUnauthorizedError,
  HubUnreachableError,
  HubOfflineError,
  HubHttpError,
  HubDownloadInterruptedError,
  HubArgumentError,
  HubBadEndpointError,
  HubIntegrityError,
  HubTimeoutError,
} from './errors.js';
