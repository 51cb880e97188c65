export { eventWeight, Hub, type HubClient, type HubOptions, type HubTransport } from './hub';
export { createDispatcher, describeZodError, type Dispatcher } from './dispatch';
export type { HandlerModule, Handlers, HubContext } from './context';
