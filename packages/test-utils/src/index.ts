export { startHubServer, startDeadServer, gitBlobId, sha256Hex } from './hub-server.js';
export type {
  HubServer,
  HubServerOptions,
  HubRequest,
  HubFault,
  HubFaultMode,
  DeadServer,
} from './hub-server.js';
export { maxAbsDiff } from './max-abs-diff.js';
export { thirdPartyImports, workspaceSource } from './imports.js';
