export { Hub, type HubClient, type HubOptions, type HubTransport } from './hub';
export { createDispatcher, describeZodError, type Dispatcher } from './dispatch';
