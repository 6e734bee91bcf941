export { startHubServer } from './hub-server.js';
export type { HubServer, HubServerOptions, HubRequest } from './hub-server.js';
