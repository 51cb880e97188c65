export { eventWeight, Hub, type HubClient, type HubOptions, type HubTransport, type TailSource } from './hub';
