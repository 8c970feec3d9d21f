export { startHeartbeat, type Heartbeat } from './startHeartbeat.js';
