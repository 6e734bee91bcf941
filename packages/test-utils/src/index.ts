export { startHubServer, startDeadServer } from './hub-server.js';
export type { HubServer, HubServerOptions, HubRequest, DeadServer } from './hub-server.js';
export { maxAbsDiff } from './max-abs-diff.js';
